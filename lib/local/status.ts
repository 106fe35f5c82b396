import type { SqsEventSource } from './event-sources/sqs-poller.js';
import type { StreamEventSource, StreamSourceStats } from './event-sources/stream-poller.js';
import type { LambdaHost } from './lambda-host.js';

/** What GET /_local/status serves: queue depths, stream progress and function concurrency. */
export interface LocalStatus {
  queues: Array<{
    queue: string;
    function: string;
    visible: number;
    inFlightMessages: number;
    concurrencyCap: number;
    invocationsInFlight: number;
    maxInvocationsInFlight: number;
    invocations: number;
    /** Messages its consumer settled (deleted after success) since the start. */
    settled: number;
  }>;
  streams: StreamSourceStats[];
  functions: Array<{ function: string; inFlight: number; maxInFlight: number; invocations: number; errors: number; timeouts: number }>;
}

/** The running parts status is read from. */
export interface RuntimeParts {
  sqsSources: readonly SqsEventSource[];
  streamSources: readonly StreamEventSource[];
  host: LambdaHost;
}

export async function runtimeStatus({ sqsSources, streamSources, host }: RuntimeParts): Promise<LocalStatus> {
  return {
    queues: await Promise.all(
      sqsSources.map(async (s) => {
        const depth = await s.depth();
        return {
          queue: s.stats.queue,
          function: s.stats.function,
          visible: depth.visible,
          inFlightMessages: depth.inFlight,
          concurrencyCap: s.stats.concurrencyCap,
          invocationsInFlight: s.stats.inFlight,
          maxInvocationsInFlight: s.stats.maxInFlight,
          invocations: s.stats.invocations,
          settled: s.stats.deleted,
        };
      }),
    ),
    streams: streamSources.map((s) => ({ ...s.stats })),
    functions: host.all().map((f) => ({ function: f.logicalId, ...f.stats })),
  };
}

const busy = (q: LocalStatus['queues'][number]) => q.visible + q.inFlightMessages + q.invocationsInFlight > 0;

/**
 * Resolves once every stream record written before the call has been processed and every queue
 * is empty with no invocation in flight.
 */
export async function settle(parts: RuntimeParts, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(parts.streamSources.map((s) => s.drain(timeoutMs)));
  while ((await runtimeStatus(parts)).queues.some(busy)) {
    if (Date.now() > deadline) throw new Error(`queues did not empty within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Progress of each queue while it drains, from successive status snapshots: depth, consumers
 * against their cap, the rate messages are settled at and the time left at that rate; and a
 * summary line once the queue is empty again.
 */
export class DrainProgress {
  private readonly draining = new Map<string, { since: number; settledBefore: number; at: number; settled: number }>();

  lines(status: LocalStatus, now: number): string[] {
    const out: string[] = [];
    for (const q of status.queues) {
      const name = q.queue.replace(/[0-9A-F]{8}$/, '');
      const run = this.draining.get(q.queue);
      if (!busy(q)) {
        if (run) {
          const done = q.settled - run.settledBefore;
          const seconds = (now - run.since) / 1000;
          out.push(`queue ${name} drained: ${done.toLocaleString('en-US')} settled in ${seconds.toFixed(1)} s (${rate(done, seconds)}/s)`);
          this.draining.delete(q.queue);
        }
        continue;
      }
      const last = run ?? { since: now, settledBefore: q.settled, at: now, settled: q.settled };
      const seconds = (now - last.at) / 1000;
      const perSecond = seconds > 0 ? (q.settled - last.settled) / seconds : 0;
      const left = q.visible + q.inFlightMessages;
      const eta = perSecond > 0 ? `, about ${Math.ceil(left / perSecond)} s to go` : '';
      out.push(
        `queue ${name}: ${left.toLocaleString('en-US')} left (${q.visible.toLocaleString('en-US')} waiting, ${q.inFlightMessages.toLocaleString('en-US')} in flight); ` +
          `${q.invocationsInFlight}/${q.concurrencyCap} consumers; ${rate(q.settled - last.settled, seconds)} settled/s${eta}`,
      );
      this.draining.set(q.queue, { since: last.since, settledBefore: last.settledBefore, at: now, settled: q.settled });
    }
    return out;
  }
}

const rate = (n: number, seconds: number) => (seconds > 0 ? Math.round(n / seconds).toLocaleString('en-US') : '0');

/**
 * Logs each busy queue's progress every 2 s (DrainProgress) and a summary when it has drained.
 * Returns a function that stops it.
 */
export function startProgressLog(parts: RuntimeParts, log: (line: string) => void): () => void {
  const progress = new DrainProgress();
  const timer = setInterval(() => {
    void runtimeStatus(parts).then(
      (status) => {
        for (const line of progress.lines(status, Date.now())) log(line);
      },
      () => undefined,
    );
  }, 2000);
  timer.unref();
  return () => clearInterval(timer);
}
