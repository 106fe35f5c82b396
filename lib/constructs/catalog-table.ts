import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { crestTable } from './building-blocks.js';

/**
 * The catalog: one item per product and data kind (pk = PRODUCT#<sku>, sk = INFO|PRICE|STOCK),
 * each with its own monotonically growing `version`. The stream carries new and old images for
 * cache invalidation and read-model refresh.
 */
export class CatalogTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = crestTable(this, 'Table', { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES });
  }
}
