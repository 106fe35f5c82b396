import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';
import type { DaxCache } from './dax-cache.js';

export interface ProductReadsProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
  /** When present, the reader joins the DAX VPC and reads through the cluster. */
  dax?: DaxCache;
}

/** GET /v1/products/{sku}: the hot read path (L1 cache → DAX → DynamoDB). */
export class ProductReads extends Construct {
  readonly readerFunction: CrestFunction;

  constructor(scope: Construct, id: string, props: ProductReadsProps) {
    super(scope, id);
    this.readerFunction = new CrestFunction(this, 'Reader', {
      name: 'product-read',
      description: 'GET /v1/products/{sku}: info, price and stock aggregated behind an L1 cache',
      memorySize: 1024,
      dax: props.dax && { cache: props.dax, access: 'R' },
    }).bindTable(props.catalog, 'R', 'CATALOG_TABLE');
    props.api.addRoute('GET', '/v1/products/{sku}', this.readerFunction, { access: 'public' });
  }
}
