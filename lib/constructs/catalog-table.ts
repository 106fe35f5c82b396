import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CrestTable } from './building-blocks.js';

/**
 * The catalog, shared by every capability: one item per product and data kind
 * (pk = PRODUCT#<sku>, sk = INFO|PRICE|STOCK), each with its own growing `version`. The stream
 * carries new and old images for cache invalidation.
 */
export class CatalogTable extends Construct {
  readonly table: CrestTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new CrestTable(this, 'Table', { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES });
  }
}
