import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type CatalogWriter, type InfoFields, MAX_STOCK_QUANTITY, type PriceFields } from '../domain/catalog/ports.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../domain/errors.js';
import type { SourceKind } from '../domain/product/types.js';
import { type CatalogItem, infoFromItem, priceFromItem, productKey, SORT_KEY, stockAdjustment, stockFromItem } from './catalog-items.js';

/**
 * CatalogWriter over DynamoDB. Writes go to DynamoDB directly; the stream processor refreshes
 * DAX and the other caches from the resulting stream records.
 */
export class DynamoCatalogWriter implements CatalogWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  /** Replaces the info: a ranking signal left out is removed. */
  async putInfo(sku: string, fields: InfoFields, expectedVersion?: number, signal?: AbortSignal) {
    const { name, description, sales, exposure, clicks } = fields;
    return infoFromItem(await this.update(sku, 'info', { name, description, sales, exposure, clicks }, expectedVersion, signal));
  }

  async setPrice(sku: string, fields: PriceFields, expectedVersion?: number, signal?: AbortSignal) {
    await this.requireProduct(sku, signal);
    return priceFromItem(await this.update(sku, 'price', fields, expectedVersion, signal));
  }

  async setStock(sku: string, quantity: number, expectedVersion?: number, signal?: AbortSignal) {
    await this.requireProduct(sku, signal);
    return stockFromItem(await this.update(sku, 'stock', { quantity }, expectedVersion, signal));
  }

  async addStock(sku: string, delta: number, expectedVersion?: number, signal?: AbortSignal) {
    await this.requireProduct(sku, signal);
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          ...stockAdjustment(sku, { delta, now: this.clock.now(), max: MAX_STOCK_QUANTITY, expectedVersion }),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: signal },
      );
      return stockFromItem(out.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Which bound refused it, from the item as it was (returned with the failure).
      const current = error.Item ? stockFromItem(unmarshall(error.Item)) : null;
      if (expectedVersion !== undefined && current?.version !== expectedVersion) throw precondition(expectedVersion, current?.version);
      const quantity = current?.quantity ?? 0;
      if (quantity + delta < 0) {
        throw new ConflictError('STOCK_WOULD_GO_NEGATIVE', `Stock is ${quantity}; removing ${-delta} would go below zero`);
      }
      throw new ConflictError(
        'STOCK_WOULD_EXCEED_MAXIMUM',
        `Stock is ${quantity}; adding ${delta} would go above the maximum of ${MAX_STOCK_QUANTITY}`,
        { quantity, maximum: MAX_STOCK_QUANTITY },
      );
    }
  }

  /** SET the given fields, raise the version, guarded by If-Match when given. */
  private async update(sku: string, kind: SourceKind, fields: CatalogItem, expectedVersion?: number, signal?: AbortSignal) {
    const names: Record<string, string> = { '#type': 'type' };
    const values: CatalogItem = { ':zero': 0, ':one': 1, ':type': SORT_KEY[kind], ':sku': sku, ':now': this.clock.now() };
    const sets = ['version = if_not_exists(version, :zero) + :one', '#type = :type', 'sku = :sku', 'updatedAt = :now'];
    const removes: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      names[`#${field}`] = field;
      if (value === undefined) removes.push(`#${field}`);
      else {
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
    }
    if (expectedVersion !== undefined) values[':expected'] = expectedVersion;
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(sku, kind),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: expectedVersion === undefined ? undefined : 'version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: signal },
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && expectedVersion !== undefined) {
        throw precondition(expectedVersion, error.Item ? Number(unmarshall(error.Item).version) : undefined);
      }
      throw error;
    }
  }

  private async requireProduct(sku: string, signal?: AbortSignal): Promise<void> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: productKey(sku, 'info'), ConsistentRead: true }), {
      abortSignal: signal,
    });
    if (!out.Item) throw new NotFoundError(`No product with SKU ${sku}`, 'PRODUCT_NOT_FOUND');
  }
}

function precondition(expected: number, current: number | undefined): PreconditionFailedError {
  return new PreconditionFailedError(`If-Match version ${expected} does not match the current version`, {
    expected,
    current: current ?? null,
  });
}
