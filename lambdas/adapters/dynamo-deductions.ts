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
import { jitteredBackoffMs, MAX_TRANSACTION_ACTIONS, runsOf } from '../domain/deductions/chunks.js';
import type { DeductionStore, LedgerSnapshot, Rejection, StockLedger, UnitChunk } from '../domain/deductions/ports.js';
import type { Deduction } from '../domain/deductions/types.js';
import { productKey, stockAdjustment, stockFromItem } from './catalog-items.js';
import {
  absentOrExpired,
  decodeDeductionItem,
  deductionFromItem,
  isExpired,
  LEGACY_SUCCEEDED,
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

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Rejection transactions of one call in flight at once. */
const REJECT_PARALLELISM = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  async hold(sku: string, chunk: UnitChunk, limitPerUser: number, now: number, holdUntil: number): Promise<'committed' | 'conflict'> {
    const exp = ttlFrom(now, RETENTION_TTL_S);
    return this.transact([
      // Stock can never go below zero. The version still grows with every write (caches and ETags
      // key on it) but is not a guard: see StockLedger.
      { Update: { TableName: this.tables.catalog, ...stockAdjustment(sku, { delta: -chunk.units, now }) } },
      ...chunk.deductions.map(
        (d): TransactItem => ({
          Update: {
            TableName: this.tables.deductions,
            Key: requestKey(d.id),
            UpdateExpression: 'SET #s = :held, decidedAt = :now, holdUntil = :until, expiresAt = :exp',
            // Exactly-once: a request that is already decided (a redelivered message) fails this
            // guard and the whole chunk is re-decided without it.
            ConditionExpression: '#s = :queued',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':held': 'HELD', ':queued': 'QUEUED', ':now': now, ':until': holdUntil, ':exp': exp },
          },
        }),
      ),
      ...[...chunk.unitsByOwner].map(
        ([owner, units]): TransactItem => ({
          Update: {
            TableName: this.tables.deductions,
            Key: limitKey(sku, owner),
            // OWNER is a DynamoDB reserved word.
            UpdateExpression: 'ADD units :units SET sku = :sku, #owner = :owner, expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(units) OR units <= :maxBefore',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':units': units, ':sku': sku, ':owner': owner, ':exp': exp, ':maxBefore': limitPerUser - units },
          },
        }),
      ),
    ]);
  }

  async reject(rejections: readonly Rejection[], now: number): Promise<string[]> {
    const runs = runsOf(rejections, MAX_TRANSACTION_ACTIONS);
    const rejected: string[] = [];
    const worker = async () => {
      for (let run = runs.shift(); run; run = runs.shift()) rejected.push(...(await this.rejectRun(run, now)));
    };
    await Promise.all(Array.from({ length: Math.min(REJECT_PARALLELISM, runs.length) }, worker));
    return rejected;
  }

  /**
   * One TransactWriteItems for up to 100 rejections, each guarded by QUEUED. When guards fail (a
   * duplicate delivery decided some meanwhile) the cancellation reasons name them: the rest go
   * again without them. Without usable reasons, each is written on its own.
   */
  private async rejectRun(run: readonly Rejection[], now: number): Promise<string[]> {
    let pending = [...run];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (pending.length === 1 || attempt > 8) return this.rejectEach(pending, now);
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: pending.map((r) => ({ Update: this.rejectUpdate(r, now) })) }));
        return pending.map((r) => r.id);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const decided = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : [])));
        if (decided.size > 0) pending = pending.filter((_, i) => !decided.has(i));
        else if (!reasons.some((r) => r.Code === 'TransactionConflict')) return this.rejectEach(pending, now);
        else await sleep(jitteredBackoffMs(attempt));
      }
    }
    return [];
  }

  private async rejectEach(rejections: readonly Rejection[], now: number): Promise<string[]> {
    const rejected: string[] = [];
    for (const r of rejections) {
      try {
        await this.client.send(new UpdateCommand(this.rejectUpdate(r, now)));
        rejected.push(r.id);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return rejected;
  }

  private rejectUpdate(r: Rejection, now: number) {
    return {
      TableName: this.tables.deductions,
      Key: requestKey(r.id),
      UpdateExpression: 'SET #s = :rejected, reason = :reason, decidedAt = :now, completedAt = :now, expiresAt = :exp',
      ConditionExpression: '#s = :queued',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':rejected': 'REJECTED',
        ':queued': 'QUEUED',
        ':reason': r.reason,
        ':now': now,
        ':exp': ttlFrom(now, RETENTION_TTL_S),
      },
    };
  }

  async confirm(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'confirmed' | 'not-held'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.deductions,
          Key: requestKey(deduction.id),
          UpdateExpression: 'SET #s = :confirmed, confirmedAt = :now',
          // The expiry is guarded by `holdUntil <= now`: exactly one of the two leaves HELD.
          ConditionExpression: '#s = :held AND holdUntil > :now',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'CONFIRMED', ':held': 'HELD', ':now': now },
        }),
        { abortSignal: signal },
      );
      return 'confirmed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not-held';
      throw error;
    }
  }

  async cancel(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'cancelled' | 'not-cancellable'> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.deductions,
          Key: requestKey(deduction.id),
          UpdateExpression: 'SET #s = :cancelled, completedAt = :now',
          // A hold past its deadline is the expiry's to end, so the two never both return units.
          ConditionExpression: '(#s = :held AND holdUntil > :now) OR #s = :confirmed OR #s = :legacy',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':held': 'HELD',
            ':confirmed': 'CONFIRMED',
            ':legacy': LEGACY_SUCCEEDED,
            ':now': now,
          },
        },
      },
      ...this.giveBack(deduction.sku, [deduction], now),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }), { abortSignal: signal });
        return 'cancelled';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [requestReason] = error.CancellationReasons ?? [];
        if (requestReason?.Code === 'ConditionalCheckFailed') return 'not-cancellable';
        // TransactionConflict with a consumer writing the same stock item: back off and retry.
        if (attempt > 5) throw error;
        await sleep(5 + jitteredBackoffMs(attempt, 100));
      }
    }
  }

  async expire(sku: string, chunk: UnitChunk, now: number): Promise<'committed' | 'conflict'> {
    return this.transact([
      ...chunk.deductions.map(
        (d): TransactItem => ({
          Update: {
            TableName: this.tables.deductions,
            Key: requestKey(d.id),
            UpdateExpression: 'SET #s = :expired, completedAt = :now',
            // The confirm and the cancel are guarded by `holdUntil > now`: exactly one leaves HELD.
            ConditionExpression: '#s = :held AND holdUntil <= :now',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':expired': 'EXPIRED', ':held': 'HELD', ':now': now },
          },
        }),
      ),
      ...this.giveBack(sku, chunk.deductions, now),
    ]);
  }

  /**
   * The writes that give deductions' units back: one stock update for all of them (even above the
   * stock maximum: a return must not fail) and one limit-marker update per owner. Each request's
   * own guarded update, in the same transaction, is what makes it happen once.
   */
  private giveBack(sku: string, deductions: readonly Deduction[], now: number): TransactItem[] {
    const units = deductions.reduce((sum, d) => sum + d.quantity, 0);
    const byOwner = new Map<string, number>();
    for (const d of deductions) byOwner.set(d.owner, (byOwner.get(d.owner) ?? 0) + d.quantity);
    return [
      { Update: { TableName: this.tables.catalog, ...stockAdjustment(sku, { delta: units, now, mustExist: true }) } },
      ...[...byOwner].map(
        ([owner, q]): TransactItem => ({
          Update: {
            TableName: this.tables.deductions,
            Key: limitKey(sku, owner),
            UpdateExpression: 'SET units = if_not_exists(units, :q) - :q',
            ExpressionAttributeValues: { ':q': q },
          },
        }),
      ),
    ];
  }

  /** One transaction; 'conflict' when DynamoDB cancelled it (a guard failed, or a concurrent writer). */
  private async transact(items: TransactItem[]): Promise<'committed' | 'conflict'> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return 'conflict';
      throw error;
    }
  }
}
