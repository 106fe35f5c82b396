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
  readonly reader: CrestFunction;

  constructor(scope: Construct, id: string, props: ProductReadsProps) {
    super(scope, id);
    this.reader = new CrestFunction(this, 'Reader', {
      name: 'product-read',
      description: 'GET /v1/products/{sku}: info, price and stock aggregated behind an L1 cache',
      memorySize: 1024,
      ...(props.dax ? { vpc: props.dax.functionVpcConfig } : {}),
    }).bindTable(props.catalog, 'R', 'CATALOG_TABLE');
    props.dax?.grant(this.reader, 'R');
    props.api.addRoute('GET', '/v1/products/{sku}', this.reader.fn);
  }
}
