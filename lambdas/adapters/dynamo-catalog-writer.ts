import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogWriter, InfoFields, PriceFields } from '../domain/catalog/ports.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../domain/errors.js';
import type { SourceKind } from '../domain/product/types.js';
import { infoFromItem, priceFromItem, productKey, SORT_KEY, stockFromItem } from './catalog-items.js';

type Values = Record<string, unknown>;

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

  async putInfo(sku: string, fields: InfoFields, expectedVersion?: number) {
    const item = await this.update(sku, 'info', fields, expectedVersion);
    return infoFromItem(item);
  }

  async setPrice(sku: string, fields: PriceFields, expectedVersion?: number) {
    await this.requireProduct(sku);
    return priceFromItem(await this.update(sku, 'price', fields, expectedVersion));
  }

  async setStock(sku: string, quantity: number, expectedVersion?: number) {
    await this.requireProduct(sku);
    return stockFromItem(await this.update(sku, 'stock', { quantity }, expectedVersion));
  }

  async addStock(sku: string, delta: number, expectedVersion?: number) {
    await this.requireProduct(sku);
    const conditions = ['(attribute_not_exists(quantity) AND :zero <= :delta) OR quantity >= :negDelta'];
    const values: Values = { ':delta': delta, ':negDelta': -delta, ':zero': 0 };
    if (expectedVersion !== undefined) {
      conditions.push('version = :expected');
      values[':expected'] = expectedVersion;
    }
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(sku, 'stock'),
          UpdateExpression:
            'SET quantity = if_not_exists(quantity, :zero) + :delta, version = if_not_exists(version, :zero) + :one, #type = :type, sku = :sku, updatedAt = :now',
          ConditionExpression: conditions.map((c) => `(${c})`).join(' AND '),
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ...values, ':one': 1, ':type': 'STOCK', ':sku': sku, ':now': this.clock.now() },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return stockFromItem(out.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.current(sku, 'stock');
      if (expectedVersion !== undefined && Number(current?.version) !== expectedVersion) throw precondition(expectedVersion, current);
      throw new ConflictError(
        'STOCK_WOULD_GO_NEGATIVE',
        `Stock is ${Number(current?.quantity ?? 0)}; removing ${-delta} would go below zero`,
      );
    }
  }

  /** SET the given fields, raise the version, guarded by If-Match when given. */
  private async update(sku: string, kind: SourceKind, fields: Values, expectedVersion?: number): Promise<Values> {
    const names: Record<string, string> = { '#type': 'type' };
    const values: Values = { ':zero': 0, ':one': 1, ':type': SORT_KEY[kind], ':sku': sku, ':now': this.clock.now() };
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
        }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && expectedVersion !== undefined) {
        throw precondition(expectedVersion, await this.current(sku, kind));
      }
      throw error;
    }
  }

  private async requireProduct(sku: string): Promise<void> {
    if (!(await this.current(sku, 'info'))) throw new NotFoundError(`No product with SKU ${sku}`, 'PRODUCT_NOT_FOUND');
  }

  private async current(sku: string, kind: SourceKind): Promise<Values | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: productKey(sku, kind), ConsistentRead: true }));
    return out.Item;
  }
}

function precondition(expected: number, current: Values | undefined): PreconditionFailedError {
  return new PreconditionFailedError(`If-Match version ${expected} does not match the current version`, {
    expected,
    current: current ? Number(current.version) : null,
  });
}
