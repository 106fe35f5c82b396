import type { DependencyProbes, QueueDepth, StreamHeartbeats, StreamProgress } from '../../lambdas/domain/health/ports.js';

/** Heartbeats in memory, with the adapter's rule: a later `processedAt` replaces, an earlier one does not. */
export class MemoryHeartbeats implements StreamHeartbeats {
  readonly progress = new Map<string, StreamProgress>();

  async record(p: StreamProgress): Promise<void> {
    const current = this.progress.get(p.stream);
    if (!current || current.processedAt < p.processedAt) this.progress.set(p.stream, { ...p });
  }

  async read(stream: string): Promise<StreamProgress | null> {
    return this.progress.get(stream) ?? null;
  }
}

type Outcome = 'ok' | 'fail' | 'hang';

/** DependencyProbes whose answers a test sets per table, queue and bucket (unknown names answer ok / empty). */
export class FakeProbes implements DependencyProbes {
  readonly tables = new Map<string, Outcome>();
  readonly buckets = new Map<string, Outcome>();
  readonly queues = new Map<string, QueueDepth | 'fail'>();
  readonly heartbeatsByTable = new Map<string, MemoryHeartbeats>();

  async tableAnswers(table: string, signal: AbortSignal): Promise<void> {
    return settle(this.tables.get(table) ?? 'ok', signal, `table ${table}`);
  }

  async queueDepth(url: string): Promise<QueueDepth> {
    const depth = this.queues.get(url) ?? { visible: 0, inFlight: 0, delayed: 0 };
    if (depth === 'fail') throw Object.assign(new Error(`queue ${url} refused`), { name: 'QueueDoesNotExist' });
    return depth;
  }

  async bucketAnswers(bucket: string, signal: AbortSignal): Promise<void> {
    return settle(this.buckets.get(bucket) ?? 'ok', signal, `bucket ${bucket}`);
  }

  heartbeats(table: string): MemoryHeartbeats {
    let store = this.heartbeatsByTable.get(table);
    if (!store) {
      store = new MemoryHeartbeats();
      this.heartbeatsByTable.set(table, store);
    }
    return store;
  }
}

function settle(outcome: Outcome, signal: AbortSignal, what: string): Promise<void> {
  if (outcome === 'ok') return Promise.resolve();
  if (outcome === 'fail') return Promise.reject(Object.assign(new Error(`${what} refused`), { name: 'ResourceNotFoundException' }));
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error(`${what} aborted`))));
}
