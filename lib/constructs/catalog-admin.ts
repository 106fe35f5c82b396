import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface CatalogAdminProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
}

/** PUT /v1/admin/products/{sku}[/price|/stock]: catalog writes for members of the `admins` group. */
export class CatalogAdmin extends Construct {
  readonly writerFunction: CrestFunction;

  constructor(scope: Construct, id: string, props: CatalogAdminProps) {
    super(scope, id);
    this.writerFunction = new CrestFunction(this, 'Api', {
      name: 'admin-api',
      description: 'PUT /v1/admin/products/{sku}, /price, /stock: versioned catalog writes with If-Match',
      memorySize: 512,
    }).bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], 'CATALOG_TABLE');
    for (const path of ['/v1/admin/products/{sku}', '/v1/admin/products/{sku}/price', '/v1/admin/products/{sku}/stock']) {
      props.api.addRoute('PUT', path, this.writerFunction, { access: 'admin' });
    }
  }
}
