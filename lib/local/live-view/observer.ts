import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { itemWrittenAt, newestRecordAt } from '../../../lambdas/adapters/stream-record-times.js';
import { parseRequestTarget, RouteTable } from '../api-gateway/route-table.js';
import type { SqsEventSource } from '../event-sources/sqs-poller.js';
import type { StreamEventSource } from '../event-sources/stream-poller.js';
import type { LambdaHost } from '../lambda-host.js';
import type { StackDescription } from '../stack-description.js';
import { type SkuFigures, SkuLedger } from './sku-ledger.js';

export interface LiveQueue {
  /** The queue's logical ID without CDK's hash suffix. */
  name: string;
  /** The function its event source invokes (its service name), if any. */
  function: string | null;
  deadLetter: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Invocations of its consumer running now, and the cap (null: no event source). */
  running: number | null;
  cap: number | null;
  /** Messages its consumer settled (deleted) per second. */
  settledPerSecond: number | null;
}

export interface LiveStream {
  /** The processor (its service name). */
  name: string;
  /**
   * How long after their write the newest records were read for it since the last sample (ms), 0
   * when nothing new was read (caught up). From the items' write stamps (stream-record-times.ts):
   * DynamoDB Local rounds the stream's own timestamps to the minute.
   */
  lagMs: number;
}

export interface LiveEvent {
  at: number;
  kind: 'error' | 'dead-letter';
  text: string;
}

/** One second of a sale, as the live view charts it. */
export interface LiveSample {
  at: number;
  acceptedPerSecond: number;
  turnedAwayPerSecond: number;
  decidedPerSecond: number;
  responsesPerSecond: { ok: number; clientError: number; serverError: number };
  totals: { accepted: number; turnedAway: number; decided: number; errors: number };
  queues: LiveQueue[];
  skus: SkuFigures[];
  /** False until a deduction record was seen on a stream: held and sold need the deductions table's stream. */
  tracksDeductions: boolean;
  streams: LiveStream[];
  /** The most recent errors and dead-letter arrivals, newest first. */
  events: LiveEvent[];
}

/** The running parts a sample is read from (attached once the runtime has started them). */
export interface LiveParts {
  sqsSources: readonly SqsEventSource[];
  streamSources: readonly StreamEventSource[];
  host: LambdaHost;
}

export interface LiveObserverOptions {
  /** The SQS client and queue URLs of the emulator. */
  sqs: SQSClient;
  queueUrl(logicalId: string): string;
  /** Sampling period while someone watches (ms). */
  periodMs?: number;
  /** Seconds of history kept for a page that connects mid-sale. */
  historySeconds?: number;
  hotSkus?: number;
  now?: () => number;
}

const DEPTH: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];
const MAX_EVENTS = 30;
/** The queue whose consumer decides deductions (its settled messages are the decisions). */
const DEDUCTIONS_QUEUE_HINT = 'DeductionsQueue';

/**
 * What the live view shows, from what the local runtime observes cheaply: the gateway's answers
 * (accepted and turned-away deductions), the stream pollers' records (stock on hand, sold-out
 * flags, held and sold units), the event sources' and the host's counters (consumer concurrency,
 * settled messages, errors) and one GetQueueAttributes per queue and sample. Nothing scans a table.
 *
 * Sampling runs only while a page is connected (every second); the counters it reads keep
 * counting regardless, so the first sample after a connect is right.
 */
export class LiveObserver {
  private readonly routes: RouteTable;
  private readonly ledger = new SkuLedger();
  private readonly counters = { accepted: 0, turnedAway: 0, ok: 0, clientError: 0, serverError: 0 };
  private readonly events: LiveEvent[] = [];
  private readonly samples: LiveSample[] = [];
  private readonly subscribers = new Set<(sample: LiveSample) => void>();
  private readonly deadLetterQueues: Set<string>;
  /** Per stream processor: the largest lag read since the last sample. */
  private readonly streamLag = new Map<string, number>();
  private parts?: LiveParts;
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<LiveSample>;
  private previous?: {
    at: number;
    counters: LiveObserver['counters'];
    deleted: Map<string, number>;
    errors: Map<string, number>;
    deadLetters: Map<string, number>;
  };
  private readonly now: () => number;
  private readonly periodMs: number;
  private readonly maxSamples: number;
  private readonly hotSkus: number;

  constructor(
    private readonly stack: StackDescription,
    private readonly options: LiveObserverOptions,
  ) {
    this.routes = new RouteTable(stack.api.routes);
    this.now = options.now ?? Date.now;
    this.periodMs = options.periodMs ?? 1_000;
    this.maxSamples = Math.ceil(((options.historySeconds ?? 300) * 1000) / this.periodMs);
    this.hotSkus = options.hotSkus ?? 6;
    this.deadLetterQueues = new Set([
      ...stack.queues.flatMap((q) => (q.deadLetterQueue ? [q.deadLetterQueue] : [])),
      ...stack.streamMappings.flatMap((m) => (m.onFailureQueueLogicalId ? [m.onFailureQueueLogicalId] : [])),
    ]);
  }

  attach(parts: LiveParts): void {
    this.parts = parts;
  }

  /** Every answer of the API gateway (method, request target, status). */
  recordResponse(method: string, url: string, status: number): void {
    if (status >= 500) this.counters.serverError += 1;
    else if (status >= 400) this.counters.clientError += 1;
    else this.counters.ok += 1;
    const { path } = parseRequestTarget(url);
    const match = this.routes.match(method, path);
    if (status >= 500) this.event('error', `${status} from ${method} ${match?.route.resourcePath ?? path}`);
    if (match?.route.method !== 'POST' || !match.route.resourcePath.endsWith('/deductions')) return;
    if (status === 202) this.counters.accepted += 1;
    if (status === 409) this.counters.turnedAway += 1;
    const sku = match.pathParameters.sku;
    if (sku) this.ledger.touch(sku);
  }

  /**
   * Records what a stream poller read for `processor` (its function's logical ID), before the
   * mapping's filter: flags and requests count too.
   */
  recordStreamRecords(records: readonly DynamoDBRecord[], processor: string): void {
    for (const record of records) this.ledger.apply(record);
    // Only items stamped by their writer: the stream's own time is minute-rounded here.
    const newest = newestRecordAt(records, itemWrittenAt);
    if (newest === undefined) return;
    const lagMs = Math.max(0, this.now() - newest);
    this.streamLag.set(processor, Math.max(this.streamLag.get(processor) ?? 0, lagMs));
  }

  /** The samples kept, oldest first. */
  history(): LiveSample[] {
    return [...this.samples];
  }

  /** Calls `listener` with each new sample; sampling runs while anyone listens. Returns the unsubscribe. */
  subscribe(listener: (sample: LiveSample) => void): () => void {
    this.subscribers.add(listener);
    if (!this.timer) {
      // Rates after a pause would be averaged over it: start from a fresh baseline instead.
      this.previous = undefined;
      this.timer = setInterval(() => void this.tick(), this.periodMs);
      this.timer.unref();
    }
    return () => {
      this.subscribers.delete(listener);
      if (this.subscribers.size === 0) this.pause();
    };
  }

  stop(): void {
    this.subscribers.clear();
    this.pause();
  }

  /** Takes one sample now (one at a time: a slow GetQueueAttributes never stacks samples up). */
  sample(): Promise<LiveSample> {
    this.sampling ??= this.takeSample().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  private pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.sampling) return;
    const sample = await this.sample().catch(() => undefined);
    if (!sample) return;
    for (const listener of this.subscribers) listener(sample);
  }

  private async takeSample(): Promise<LiveSample> {
    const at = this.now();
    const previous = this.previous;
    const seconds = previous ? Math.max(0.001, (at - previous.at) / 1000) : 1;
    const rate = (now: number, before: number | undefined) => (before === undefined ? 0 : Math.max(0, now - before) / seconds);
    const counters = { ...this.counters };
    const { sqsSources = [], streamSources = [], host } = this.parts ?? {};

    const depths = await Promise.all(this.stack.queues.map((q) => this.depth(q.logicalId)));
    const deleted = new Map(sqsSources.map((s) => [s.mapping.queueLogicalId, s.stats.deleted]));
    const deadLetters = new Map<string, number>();
    const queues = this.stack.queues.map((q, i): LiveQueue => {
      const depth = depths[i] ?? { visible: 0, inFlight: 0, delayed: 0 };
      const source = sqsSources.find((s) => s.mapping.queueLogicalId === q.logicalId);
      const deadLetter = this.deadLetterQueues.has(q.logicalId);
      const name = displayName(q.logicalId);
      if (deadLetter) {
        const held = depth.visible + depth.inFlight;
        deadLetters.set(q.logicalId, held);
        const before = previous?.deadLetters.get(q.logicalId);
        if (before !== undefined && held > before) this.event('dead-letter', `${held - before} message(s) arrived in ${name}`);
      }
      return {
        name,
        function: source ? this.serviceName(source.mapping.functionLogicalId) : null,
        deadLetter,
        ...depth,
        running: source ? source.stats.inFlight : null,
        cap: source ? source.stats.concurrencyCap : null,
        settledPerSecond: source ? rate(source.stats.deleted, previous?.deleted.get(q.logicalId)) : null,
      };
    });

    const errors = new Map((host?.all() ?? []).map((f) => [f.logicalId, f.stats.errors]));
    for (const [id, count] of errors) {
      const before = previous?.errors.get(id);
      if (before !== undefined && count > before) this.event('error', `${count - before} failed invocation(s) of ${this.serviceName(id)}`);
    }

    const streams = streamSources.map(
      (s): LiveStream => ({
        name: this.serviceName(s.mapping.functionLogicalId),
        lagMs: this.streamLag.get(s.mapping.functionLogicalId) ?? 0,
      }),
    );
    this.streamLag.clear();

    const decisions = this.stack.queues.find((q) => q.logicalId.includes(DEDUCTIONS_QUEUE_HINT))?.logicalId;
    const decided = decisions ? (deleted.get(decisions) ?? 0) : 0;
    const sample: LiveSample = {
      at,
      acceptedPerSecond: rate(counters.accepted, previous?.counters.accepted),
      turnedAwayPerSecond: rate(counters.turnedAway, previous?.counters.turnedAway),
      decidedPerSecond: decisions ? rate(decided, previous?.deleted.get(decisions)) : 0,
      responsesPerSecond: {
        ok: rate(counters.ok, previous?.counters.ok),
        clientError: rate(counters.clientError, previous?.counters.clientError),
        serverError: rate(counters.serverError, previous?.counters.serverError),
      },
      totals: {
        accepted: counters.accepted,
        turnedAway: counters.turnedAway,
        decided,
        errors: [...errors.values()].reduce((a, b) => a + b, 0) + counters.serverError,
      },
      queues,
      skus: this.ledger.hot(this.hotSkus),
      tracksDeductions: this.ledger.tracksDeductions,
      streams,
      events: [...this.events],
    };
    this.previous = { at, counters, deleted, errors, deadLetters };
    this.samples.push(sample);
    if (this.samples.length > this.maxSamples) this.samples.splice(0, this.samples.length - this.maxSamples);
    return sample;
  }

  private async depth(logicalId: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const out = await this.options.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl(logicalId), AttributeNames: DEPTH }),
    );
    const count = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  private event(kind: LiveEvent['kind'], text: string): void {
    this.events.unshift({ at: this.now(), kind, text });
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
  }

  /** A function's Crest name (POWERTOOLS_SERVICE_NAME), else its logical ID. */
  private serviceName(logicalId: string): string {
    const fn = this.parts?.host.all().find((f) => f.logicalId === logicalId);
    return fn?.environment.POWERTOOLS_SERVICE_NAME ?? displayName(logicalId);
  }
}

/** A logical ID without the hash CDK appends (`StockDeductionsQueue77833BDB` → `StockDeductionsQueue`). */
export function displayName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
