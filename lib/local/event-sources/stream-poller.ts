import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { HostedFunction } from '../lambda-host.js';
import type { StreamMapping } from '../stack-description.js';
import { filterRecords } from './event-filter.js';
import { type OnFailureCondition, onFailureRecord, toLambdaStreamRecord } from './stream-records.js';

export interface StreamSourceStats {
  table: string;
  function: string;
  invocations: number;
  records: number;
  filteredOut: number;
  retries: number;
  sentToOnFailure: number;
  /** Approximate age of the last record handed to the function (ms), i.e. the iterator age. */
  lastRecordAgeMs: number;
  /** The last error polling the stream, if any. */
  lastPollError?: string;
}

/** What a stream poller needs besides its mapping: the function, the stream, and the clients. */
export interface StreamSourceWiring {
  fn: HostedFunction;
  tableName: string;
  streamArn: string;
  /** URL of the on-failure destination queue, when the mapping has one. */
  onFailureQueueUrl?: string;
  streams: DynamoDBStreamsClient;
  sqs: SQSClient;
  log?: (line: string) => void;
  pollMs?: number;
  /** Sees every record read from the stream, before the mapping's filter (the live view). */
  tap?: (records: readonly DynamoDBRecord[]) => void;
}

/**
 * The Lambda DynamoDB Streams poller, on this machine: polls every shard of DynamoDB Local's
 * stream in order, applies the filter criteria, invokes with up to BatchSize records, resumes
 * after the last successful record of a partial batch response, bisects failing batches, retries
 * up to MaximumRetryAttempts, drops records older than MaximumRecordAge, and sends what it gives
 * up on to the on-failure SQS destination in Lambda's DDBStreamBatchInfo format.
 */
export class StreamEventSource {
  private running = false;
  private readonly shardWorkers = new Map<string, Promise<void>>();
  /** Per shard: when the last GetRecords that found nothing new was issued. */
  private readonly caughtUpAt = new Map<string, number>();
  private discovery?: Promise<void>;
  private startedAt = 0;
  private readonly log: (line: string) => void;
  private readonly pollMs: number;
  readonly stats: StreamSourceStats;

  constructor(
    readonly mapping: StreamMapping,
    private readonly wiring: StreamSourceWiring,
  ) {
    this.log = wiring.log ?? (() => undefined);
    this.pollMs = wiring.pollMs ?? 100;
    this.stats = {
      table: wiring.tableName,
      function: mapping.functionLogicalId,
      invocations: 0,
      records: 0,
      filteredOut: 0,
      retries: 0,
      sentToOnFailure: 0,
      lastRecordAgeMs: 0,
    };
  }

  /** Starts reading every shard at the mapping's starting position. */
  async start(): Promise<void> {
    this.running = true;
    this.startedAt = Date.now();
    await this.discoverShards(this.mapping.startingPosition);
    this.discovery = (async () => {
      while (this.running) {
        await sleep(1000);
        if (this.running) await this.discoverShards('TRIM_HORIZON').catch((e: Error) => this.log(`stream discovery: ${e.message}`));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.discovery;
    await Promise.all(this.shardWorkers.values());
  }

  /**
   * Resolves once every record written before the call has been processed: each shard has since
   * been polled from a request issued after the call and found nothing new.
   */
  async drain(timeoutMs = 90_000): Promise<void> {
    const marker = Date.now();
    const deadline = marker + timeoutMs;
    while (Date.now() < deadline) {
      const shards = [...this.shardWorkers.keys()];
      if (shards.length > 0 && shards.every((id) => (this.caughtUpAt.get(id) ?? 0) > marker)) return;
      await sleep(this.pollMs);
    }
    throw new Error(
      `stream of ${this.stats.table} did not drain within ${timeoutMs} ms (${this.shardWorkers.size} shard(s); last poll error: ${this.stats.lastPollError ?? 'none'}; ${this.stats.invocations} invocations)`,
    );
  }

  private async discoverShards(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { streams, streamArn } = this.wiring;
    const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of out.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId ?? '';
      if (!id || this.shardWorkers.has(id)) continue;
      // Shards that appear after start (children of a split) are read from their beginning.
      const iterator = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: position }));
      this.shardWorkers.set(id, this.pollShard(id, iterator.ShardIterator));
    }
  }

  private async pollShard(shardId: string, iterator: string | undefined): Promise<void> {
    let next = iterator;
    let lastSequence: string | undefined;
    while (this.running && next) {
      let out: GetRecordsCommandOutput;
      const issuedAt = Date.now();
      try {
        out = await this.wiring.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: this.mapping.batchSize }));
      } catch (error) {
        this.stats.lastPollError = `${(error as Error).name}: ${(error as Error).message}`;
        this.log(`stream poll ${shardId}: ${this.stats.lastPollError}`);
        await sleep(200);
        // Iterators expire and can be invalidated: resume right after the last record handed over.
        next = await this.reacquire(shardId, lastSequence).catch(() => next);
        continue;
      }
      next = out.NextShardIterator;
      lastSequence = out.Records?.at(-1)?.dynamodb?.SequenceNumber ?? lastSequence;
      const records = (out.Records ?? []).map((r) => toLambdaStreamRecord(r, this.wiring.streamArn, this.startedAt));
      if (records.length > 0) this.wiring.tap?.(records);
      if (records.length === 0) {
        this.caughtUpAt.set(shardId, issuedAt);
        await sleep(this.pollMs);
        continue;
      }
      const matching = filterRecords(this.mapping.patterns, records);
      this.stats.filteredOut += records.length - matching.length;
      if (matching.length) await this.deliver(shardId, matching, this.mapping.maxRetries);
    }
    // A closed shard has nothing more to give.
    if (!next) this.caughtUpAt.set(shardId, Number.POSITIVE_INFINITY);
  }

  private async reacquire(shardId: string, afterSequence: string | undefined): Promise<string | undefined> {
    const out = await this.wiring.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.wiring.streamArn,
        ShardId: shardId,
        ...(afterSequence
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: afterSequence }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator;
  }

  /** Invokes with `records`; on failure resumes after the successes, bisecting and retrying. */
  private async deliver(shardId: string, records: DynamoDBRecord[], retriesLeft: number): Promise<void> {
    let remaining = records;
    let retries = retriesLeft;
    while (remaining.length > 0 && this.running) {
      const failedAt = await this.invoke(remaining);
      if (failedAt < 0) return;
      remaining = remaining.slice(failedAt);
      const oldest = Number(remaining[0]?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000;
      const tooOld = this.mapping.maxRecordAgeMs >= 0 && Date.now() - oldest > this.mapping.maxRecordAgeMs;
      if (retries === 0 || tooOld) {
        await this.sendToOnFailure(shardId, remaining, tooOld ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted');
        return;
      }
      retries = retries < 0 ? retries : retries - 1;
      this.stats.retries += 1;
      if (this.mapping.bisectOnError && remaining.length > 1) {
        const half = Math.ceil(remaining.length / 2);
        await this.deliver(shardId, remaining.slice(0, half), retries);
        await this.deliver(shardId, remaining.slice(half), retries);
        return;
      }
      await sleep(50);
    }
  }

  /** Index of the first record to retry, or -1 when the whole batch succeeded. */
  private async invoke(records: DynamoDBRecord[]): Promise<number> {
    const event: DynamoDBStreamEvent = { Records: records };
    this.stats.invocations += 1;
    this.stats.records += records.length;
    this.stats.lastRecordAgeMs = Date.now() - Number(records[records.length - 1]?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000;
    try {
      const result = (await this.wiring.fn.invoke(event)) as DynamoDBBatchResponse | undefined;
      const failures = this.mapping.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
      if (failures.length === 0) return -1;
      const indexes = failures.map((f) => records.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
      // An identifier that names no record of the batch fails the whole batch, as in Lambda.
      return indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
    } catch (error) {
      this.log(`${this.stats.function} failed on ${records.length} stream records: ${(error as Error).message}`);
      return 0;
    }
  }

  private async sendToOnFailure(shardId: string, records: DynamoDBRecord[], condition: OnFailureCondition): Promise<void> {
    this.stats.sentToOnFailure += records.length;
    const { onFailureQueueUrl, fn, streamArn, sqs } = this.wiring;
    if (!onFailureQueueUrl) return;
    const body = onFailureRecord({ functionArn: fn.description.arn, streamArn, shardId, records, condition });
    await sqs.send(new SendMessageCommand({ QueueUrl: onFailureQueueUrl, MessageBody: JSON.stringify(body) }));
    this.log(`${records.length} stream record(s) sent to the on-failure destination (${condition})`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
