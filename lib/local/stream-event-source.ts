import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { HostedFunction, LambdaHost } from './lambda-host.js';
import type { LocalClients } from './provision.js';
import { LOCAL_REGION, type LocalTemplate } from './template.js';

export interface StreamMappingSettings {
  tableLogicalId: string;
  functionLogicalId: string;
  batchSize: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  bisectOnError: boolean;
  maxRetries: number;
  maxRecordAgeMs: number;
  reportBatchItemFailures: boolean;
  onFailureQueueLogicalId?: string;
  patterns: unknown[];
}

/** Reads every DynamoDB Streams event source mapping from the template. */
export function streamMappingsFromTemplate(t: LocalTemplate): StreamMappingSettings[] {
  const mappings: StreamMappingSettings[] = [];
  for (const [, r] of t.ofType('AWS::Lambda::EventSourceMapping')) {
    const p = r.Properties ?? {};
    const getAtt = (p.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    if (getAtt?.[1] !== 'StreamArn') continue;
    const destination = (p.DestinationConfig as { OnFailure?: { Destination?: { 'Fn::GetAtt'?: [string, string] } } } | undefined)
      ?.OnFailure?.Destination;
    const filters = ((p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map((f) =>
      JSON.parse(f.Pattern),
    );
    mappings.push({
      tableLogicalId: getAtt[0],
      functionLogicalId: String((p.FunctionName as { Ref?: string }).Ref),
      batchSize: Number(p.BatchSize ?? 100),
      startingPosition: p.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
      bisectOnError: p.BisectBatchOnFunctionError === true,
      maxRetries: p.MaximumRetryAttempts === undefined ? -1 : Number(p.MaximumRetryAttempts),
      maxRecordAgeMs: p.MaximumRecordAgeInSeconds === undefined ? -1 : Number(p.MaximumRecordAgeInSeconds) * 1000,
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
      onFailureQueueLogicalId: destination?.['Fn::GetAtt']?.[0],
      patterns: filters,
    });
  }
  return mappings;
}

/**
 * Lambda's event-filtering subset Crest uses: every key of the pattern must match; an array lists
 * the accepted values; an object descends. Records matching no filter are dropped (and count as
 * processed), as Lambda does.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((accepted) => JSON.stringify(accepted) === JSON.stringify(value));
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, v]) => matchesPattern(v, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

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
  private discovery?: Promise<void>;
  private readonly fn: HostedFunction;
  private readonly streams: DynamoDBStreamsClient;
  private streamArn = '';
  private startedAt = 0;
  readonly stats: StreamSourceStats;

  constructor(
    readonly settings: StreamMappingSettings,
    private readonly t: LocalTemplate,
    host: LambdaHost,
    private readonly clients: LocalClients,
    private readonly log: (line: string) => void = () => undefined,
    private readonly pollMs = 100,
  ) {
    this.fn = host.get(settings.functionLogicalId);
    this.streams = new DynamoDBStreamsClient({
      endpoint: t.endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.stats = {
      table: t.physicalName(settings.tableLogicalId),
      function: settings.functionLogicalId,
      invocations: 0,
      records: 0,
      filteredOut: 0,
      retries: 0,
      sentToOnFailure: 0,
      lastRecordAgeMs: 0,
    };
  }

  async start(): Promise<void> {
    const table = await this.clients.dynamodb.send(new DescribeTableCommand({ TableName: this.stats.table }));
    this.streamArn = table.Table?.LatestStreamArn ?? '';
    if (!this.streamArn) throw new Error(`Table ${this.stats.table} has no stream`);
    this.running = true;
    this.startedAt = Date.now();
    await this.discoverShards(this.settings.startingPosition);
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

  /** Per shard: when the last GetRecords that found nothing new was issued. */
  private readonly caughtUpAt = new Map<string, number>();

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
    const out = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of out.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId ?? '';
      if (!id || this.shardWorkers.has(id)) continue;
      // Shards that appear after start (children of a split) are read from their beginning.
      const iterator = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: id, ShardIteratorType: position }),
      );
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
        out = await this.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: this.settings.batchSize }));
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
      const records = (out.Records ?? []).map((r) => this.toLambdaRecord(r));
      if (records.length === 0) {
        this.caughtUpAt.set(shardId, issuedAt);
        await sleep(this.pollMs);
        continue;
      }
      const matching = records.filter(
        (r) => this.settings.patterns.length === 0 || this.settings.patterns.some((p) => matchesPattern(p, r)),
      );
      this.stats.filteredOut += records.length - matching.length;
      if (matching.length) await this.deliver(shardId, matching, this.settings.maxRetries);
    }
    // A closed shard has nothing more to give.
    if (!next) this.caughtUpAt.set(shardId, Number.POSITIVE_INFINITY);
  }

  private async reacquire(shardId: string, afterSequence: string | undefined): Promise<string | undefined> {
    const out = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
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
      const tooOld = this.settings.maxRecordAgeMs >= 0 && Date.now() - oldest > this.settings.maxRecordAgeMs;
      if (retries === 0 || tooOld) {
        await this.sendToOnFailure(shardId, remaining, tooOld ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted');
        return;
      }
      retries = retries < 0 ? retries : retries - 1;
      this.stats.retries += 1;
      if (this.settings.bisectOnError && remaining.length > 1) {
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
      const result = (await this.fn.invoke(event)) as DynamoDBBatchResponse | undefined;
      const failures = this.settings.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
      if (failures.length === 0) return -1;
      const indexes = failures.map((f) => records.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
      // An identifier that names no record of the batch fails the whole batch, as in Lambda.
      return indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
    } catch (error) {
      this.log(`${this.stats.function} failed on ${records.length} stream records: ${(error as Error).message}`);
      return 0;
    }
  }

  private async sendToOnFailure(shardId: string, records: DynamoDBRecord[], condition: string): Promise<void> {
    this.stats.sentToOnFailure += records.length;
    if (!this.settings.onFailureQueueLogicalId) return;
    const first = records[0]?.dynamodb;
    const last = records[records.length - 1]?.dynamodb;
    const body = {
      requestContext: {
        requestId: crypto.randomUUID(),
        functionArn: this.t.arn(this.settings.functionLogicalId),
        condition,
        approximateInvokeCount: 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: new Date(Number(first?.ApproximateCreationDateTime ?? 0) * 1000).toISOString(),
        approximateArrivalOfLastRecord: new Date(Number(last?.ApproximateCreationDateTime ?? 0) * 1000).toISOString(),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
    await this.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: this.t.queueUrl(this.settings.onFailureQueueLogicalId), MessageBody: JSON.stringify(body) }),
    );
    this.log(`${records.length} stream record(s) sent to the on-failure destination (${condition})`);
  }

  private toLambdaRecord(r: StreamRecord): DynamoDBRecord {
    const d = r.dynamodb ?? {};
    return {
      eventID: r.eventID,
      eventName: r.eventName as DynamoDBRecord['eventName'],
      eventVersion: r.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: d.ApproximateCreationDateTime
          ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000)
          : Math.floor(this.startedAt / 1000),
        Keys: d.Keys as never,
        NewImage: d.NewImage as never,
        OldImage: d.OldImage as never,
        SequenceNumber: d.SequenceNumber,
        SizeBytes: d.SizeBytes,
        StreamViewType: d.StreamViewType as never,
      },
    };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
