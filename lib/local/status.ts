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

/** Logs each busy queue's depth and consumer concurrency every 2 s. Returns a function that stops it. */
export function startProgressLog(parts: RuntimeParts, log: (line: string) => void): () => void {
  const timer = setInterval(() => {
    void runtimeStatus(parts).then(
      (status) => {
        for (const q of status.queues.filter(busy)) {
          log(
            `queue ${q.queue}: ${q.visible} waiting, ${q.inFlightMessages} in flight; ${q.function} ${q.invocationsInFlight}/${q.concurrencyCap} running`,
          );
        }
      },
      () => undefined,
    );
  }, 2000);
  timer.unref();
  return () => clearInterval(timer);
}
