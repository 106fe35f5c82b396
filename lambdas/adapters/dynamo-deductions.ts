import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Clock } from '../domain/clock.js';
import type { DeductionStore, LedgerSnapshot, StockLedger, SuccessChunk } from '../domain/deductions/ports.js';
import type { Deduction, RejectReason } from '../domain/deductions/types.js';
import { productKey, stockAdjustment, stockFromItem } from './catalog-items.js';
import {
  absentOrExpired,
  decodeDeductionItem,
  deductionFromItem,
  isExpired,
  limitKey,
  RETENTION_TTL_S,
  requestItem,
  requestKey,
  ttlFrom,
  UNCONFIRMED_TTL_S,
} from './deduction-items.js';
import { batchGetAll } from './dynamo-batch.js';

export interface DeductionTables {
  deductions: string;
  catalog: string;
}

/** DeductionStore and StockLedger over DynamoDB (plain client: transactions do not go through DAX here). */
export class DynamoDeductions implements DeductionStore, StockLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: DeductionTables,
    private readonly clock: Clock,
  ) {}

  async createIfAbsent(deduction: Deduction, signal?: AbortSignal): Promise<{ created: boolean; record: Deduction }> {
    const now = this.clock.now();
    const ttl = deduction.status === 'QUEUED' ? UNCONFIRMED_TTL_S : RETENTION_TTL_S;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.deductions,
          Item: requestItem(deduction, ttlFrom(now, ttl)),
          // An expired record (not yet swept by TTL) counts as absent.
          ...absentOrExpired(now),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: signal },
      );
      return { created: true, record: deduction };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The old item comes back in wire format even through the document client.
      const existing = error.Item ? deductionFromItem(unmarshall(error.Item)) : await this.get(deduction.id, signal);
      if (!existing) throw error;
      return { created: false, record: existing };
    }
  }

  async get(id: string, signal?: AbortSignal): Promise<Deduction | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tables.deductions, Key: requestKey(id), ConsistentRead: true }), {
      abortSignal: signal,
    });
    if (!out.Item || isExpired(out.Item, this.clock.now())) return null;
    return deductionFromItem(out.Item);
  }

  async discardUnqueued(id: string, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(
        new DeleteCommand({
          TableName: this.tables.deductions,
          Key: requestKey(id),
          ConditionExpression: '#s = :queued',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':queued': 'QUEUED' },
        }),
        { abortSignal: signal },
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async snapshot(sku: string, ids: readonly string[], owners: readonly string[]): Promise<LedgerSnapshot> {
    const now = this.clock.now();
    const [stockOut, items] = await Promise.all([
      this.client.send(new GetCommand({ TableName: this.tables.catalog, Key: productKey(sku, 'stock'), ConsistentRead: true })),
      batchGetAll(this.client, this.tables.deductions, [...ids.map(requestKey), ...owners.map((o) => limitKey(sku, o))], true),
    ]);
    const snapshot: LedgerSnapshot = {
      stock: stockOut.Item ? stockFromItem(stockOut.Item) : null,
      records: new Map(),
      holdings: new Map(),
    };
    for (const item of items) {
      if (isExpired(item, now)) continue;
      const decoded = decodeDeductionItem(item);
      if (decoded && 'request' in decoded) snapshot.records.set(decoded.request.id, decoded.request);
      if (decoded && 'limit' in decoded) snapshot.holdings.set(decoded.limit.owner, decoded.limit.units);
    }
    return snapshot;
  }

  async commit(sku: string, chunk: SuccessChunk, limitPerUser: number, now: number): Promise<'committed' | 'conflict'> {
    const exp = ttlFrom(now, RETENTION_TTL_S);
    const transactItems = [
      // Stock can never go below zero. The version still grows with every write (caches and ETags
      // key on it) but is not a guard: see StockLedger.
      { Update: { TableName: this.tables.catalog, ...stockAdjustment(sku, { delta: -chunk.units, now }) } },
      ...chunk.deductions.map((d) => ({
        Update: {
          TableName: this.tables.deductions,
          Key: requestKey(d.id),
          UpdateExpression: 'SET #s = :succeeded, completedAt = :now, expiresAt = :exp',
          // Exactly-once: a request that is already final (a redelivered message) fails this
          // guard and the whole chunk is re-decided without it.
          ConditionExpression: '#s = :queued',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':succeeded': 'SUCCEEDED', ':queued': 'QUEUED', ':now': now, ':exp': exp },
        },
      })),
      ...[...chunk.unitsByOwner].map(([owner, units]) => ({
        Update: {
          TableName: this.tables.deductions,
          Key: limitKey(sku, owner),
          // OWNER is a DynamoDB reserved word.
          UpdateExpression: 'ADD units :units SET sku = :sku, #owner = :owner, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(units) OR units <= :maxBefore',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':units': units, ':sku': sku, ':owner': owner, ':exp': exp, ':maxBefore': limitPerUser - units },
        },
      })),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return 'committed';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return 'conflict';
      throw error;
    }
  }

  async reject(id: string, reason: RejectReason, now: number): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tables.deductions,
          Key: requestKey(id),
          UpdateExpression: 'SET #s = :rejected, reason = :reason, completedAt = :now, expiresAt = :exp',
          ConditionExpression: '#s = :queued',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':rejected': 'REJECTED',
            ':queued': 'QUEUED',
            ':reason': reason,
            ':now': now,
            ':exp': ttlFrom(now, RETENTION_TTL_S),
          },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async refund(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'cancelled' | 'not-succeeded'> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tables.deductions,
                  Key: requestKey(deduction.id),
                  UpdateExpression: 'SET #s = :cancelled, completedAt = :now',
                  ConditionExpression: '#s = :succeeded',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':succeeded': 'SUCCEEDED', ':now': now },
                },
              },
              // Units taken are given back even above the stock maximum: a refund must not fail.
              {
                Update: {
                  TableName: this.tables.catalog,
                  ...stockAdjustment(deduction.sku, { delta: deduction.quantity, now, mustExist: true }),
                },
              },
              {
                Update: {
                  TableName: this.tables.deductions,
                  Key: limitKey(deduction.sku, deduction.owner),
                  UpdateExpression: 'SET units = if_not_exists(units, :q) - :q',
                  ExpressionAttributeValues: { ':q': deduction.quantity },
                },
              },
            ],
          }),
          { abortSignal: signal },
        );
        return 'cancelled';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [requestReason] = error.CancellationReasons ?? [];
        if (requestReason?.Code === 'ConditionalCheckFailed') return 'not-succeeded';
        // TransactionConflict with a consumer writing the same stock item: back off and retry.
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }
}
