import { randomUUID } from 'node:crypto';
import type { EventBusDescription } from '../stack-description.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../template.js';
import { AwsJsonError, type AwsJsonService } from './endpoint.js';

/** An event as EventBridge hands it to a rule's target. */
export interface RecordedEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Which bus it was put on (not part of EventBridge's envelope; local only). */
  'event-bus-name': string;
}

/** PutEvents' quotas (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

/**
 * What the local runtime's buses received, newest kept (up to `capacity`), each also logged:
 * up to `linesPerSecond` a second, then one line saying how many more arrived.
 */
export class LocalEventLog {
  private readonly events: RecordedEvent[] = [];
  private windowStart = 0;
  private loggedInWindow = 0;
  private suppressed = 0;
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly log: (line: string) => void = () => undefined,
    private readonly capacity = 10_000,
    private readonly linesPerSecond = 20,
  ) {}

  record(event: RecordedEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    this.logLine(event);
  }

  /**
   * Newest first. `type` keeps events whose detail-type starts with it (`Deduction` for every
   * deduction event, `Deduction HELD` for one kind); `limit` caps the answer (default 100).
   */
  list(query: { type?: string; source?: string; limit?: number } = {}): RecordedEvent[] {
    const limit = Math.max(1, Math.min(this.capacity, query.limit ?? 100));
    const out: RecordedEvent[] = [];
    for (let i = this.events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.events[i] as RecordedEvent;
      if (query.type && !e['detail-type'].startsWith(query.type)) continue;
      if (query.source && e.source !== query.source) continue;
      out.push(e);
    }
    return out;
  }

  /** Answers `GET /_local/events?type=…&source=…&limit=…`. */
  serve(search: URLSearchParams): { events: RecordedEvent[] } {
    const limit = Number(search.get('limit') ?? 100);
    return {
      events: this.list({
        type: search.get('type') ?? undefined,
        source: search.get('source') ?? undefined,
        limit: Number.isInteger(limit) ? limit : 100,
      }),
    };
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.flush();
  }

  private logLine(event: RecordedEvent): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.flush();
      this.windowStart = now;
      this.loggedInWindow = 0;
    }
    if (this.loggedInWindow < this.linesPerSecond) {
      this.loggedInWindow += 1;
      this.log(`event ${event['detail-type']} ${summary(event.detail)}`);
      return;
    }
    this.suppressed += 1;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, 1000).unref();
  }

  private flush(): void {
    if (this.suppressed === 0) return;
    this.log(`… and ${this.suppressed} more event(s) (GET /_local/events)`);
    this.suppressed = 0;
  }
}

function summary(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  return ['id', 'sku', 'quantity', 'previousStatus', 'reason', 'expiresAt']
    .filter((k) => d[k] !== undefined && d[k] !== null)
    .map((k) => `${k}=${String(d[k])}`)
    .join(' ');
}

/**
 * EventBridge's `PutEvents` for the template's buses (by name or ARN; `default` too): each entry
 * is validated as EventBridge does (source, detail-type and a JSON-object detail required, 256 KB),
 * recorded in `events` in the envelope targets receive, and answered with an id or an error of
 * its own, as PutEvents answers partial failures.
 */
export function eventBridgeService(buses: readonly EventBusDescription[], events: LocalEventLog): AwsJsonService {
  const byName = new Map<string, string>([['default', 'default']]);
  for (const bus of buses) {
    byName.set(bus.name, bus.name);
    byName.set(bus.arn, bus.name);
  }
  return {
    targetPrefix: 'AWSEvents',
    async handle(operation, input) {
      if (operation !== 'PutEvents') throw new AwsJsonError('UnknownOperationException', `EventBridge: ${operation} is not served locally`);
      const entries = Array.isArray(input.Entries) ? (input.Entries as Array<Record<string, unknown>>) : [];
      if (entries.length < 1 || entries.length > MAX_ENTRIES) {
        throw new AwsJsonError('ValidationException', `1 validation error detected: Entries must have length between 1 and ${MAX_ENTRIES}`);
      }
      const results = entries.map((entry) => put(entry));
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
  };

  function put(entry: Record<string, unknown>): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const bus = byName.get(String(entry.EventBusName ?? 'default'));
    if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${String(entry.EventBusName)} does not exist.` };
    const { Source: source, DetailType: detailType, Detail: detail } = entry;
    if (typeof source !== 'string' || !source) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid.' };
    if (typeof detailType !== 'string' || !detailType) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid.' };
    }
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Total size of the entries in the request is over the limit.' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(detail));
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const id = randomUUID();
    // The JSON protocols carry timestamps as epoch seconds.
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    events.record({
      version: '0',
      id,
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail: parsed,
      'event-bus-name': bus,
    });
    return { EventId: id };
  }
}
