import type { Clock } from '../clock.js';
import { withTimeout } from '../resilience.js';
import type { DependencyProbes } from './ports.js';

/**
 * - `ok`: answering, nothing waiting for a human;
 * - `degraded`: answering, but something needs attention (a dead-letter queue holds messages, a
 *   stream processor is behind): buyers are served, some outcome is delayed or stale;
 * - `failing`: not answering (or not within the probe's timeout).
 */
export type HealthStatus = 'ok' | 'degraded' | 'failing';

export type DependencyKind = 'table' | 'queue' | 'dead-letter-queue' | 'bucket' | 'stream';

/** What the deep check looks at, by the names the report uses. */
export interface HealthTargets {
  tables: ReadonlyArray<{ name: string; table: string }>;
  queues: ReadonlyArray<{ name: string; url: string }>;
  deadLetterQueues: ReadonlyArray<{ name: string; url: string }>;
  buckets: ReadonlyArray<{ name: string; bucket: string }>;
  /** Stream processors (by function name) and the table their heartbeat is kept in. */
  streams: ReadonlyArray<{ name: string; table: string }>;
}

export interface DependencyHealth {
  name: string;
  kind: DependencyKind;
  status: HealthStatus;
  /** How long the probe took (ms). */
  latencyMs: number;
  /** What was seen: queue depths, stream lag. */
  detail?: Record<string, unknown>;
  /** Why a failing probe failed (the error's name and message). */
  error?: string;
}

export interface HealthReport {
  /** The worst status of any dependency. */
  status: HealthStatus;
  checkedAt: string;
  dependencies: DependencyHealth[];
}

export interface HealthOptions {
  /** Each probe's time limit. */
  timeoutMs: number;
  /** A stream processor further behind than this is degraded (the IteratorAge alarm's threshold). */
  maxStreamLagMs: number;
}

export const defaultHealthOptions: HealthOptions = { timeoutMs: 2_000, maxStreamLagMs: 60_000 };

const RANK: Record<HealthStatus, number> = { ok: 0, degraded: 1, failing: 2 };

/**
 * The deep health check: every dependency probed concurrently, each within `timeoutMs`, with its
 * status and latency. Reads only: it changes nothing, so it is safe to call at any rate an admin
 * may.
 */
export async function checkHealth(
  targets: HealthTargets,
  probes: DependencyProbes,
  clock: Clock,
  options: HealthOptions = defaultHealthOptions,
): Promise<HealthReport> {
  const probe = async (
    name: string,
    kind: DependencyKind,
    run: (signal: AbortSignal) => Promise<{ status: HealthStatus; detail?: Record<string, unknown> }>,
  ): Promise<DependencyHealth> => {
    const started = clock.now();
    try {
      const { status, detail } = await withTimeout(options.timeoutMs, run);
      return { name, kind, status, latencyMs: clock.now() - started, ...(detail ? { detail } : {}) };
    } catch (error) {
      const e = error as Error;
      return { name, kind, status: 'failing', latencyMs: clock.now() - started, error: `${e.name}: ${e.message}`.slice(0, 300) };
    }
  };

  const dependencies = await Promise.all([
    ...targets.tables.map(({ name, table }) =>
      probe(name, 'table', async (signal) => {
        await probes.tableAnswers(table, signal);
        return { status: 'ok' };
      }),
    ),
    ...targets.queues.map(({ name, url }) =>
      probe(name, 'queue', async (signal) => ({ status: 'ok', detail: { ...(await probes.queueDepth(url, signal)) } })),
    ),
    ...targets.deadLetterQueues.map(({ name, url }) =>
      probe(name, 'dead-letter-queue', async (signal) => {
        const depth = await probes.queueDepth(url, signal);
        const messages = depth.visible + depth.inFlight + depth.delayed;
        return { status: messages > 0 ? 'degraded' : 'ok', detail: { messages } };
      }),
    ),
    ...targets.buckets.map(({ name, bucket }) =>
      probe(name, 'bucket', async (signal) => {
        await probes.bucketAnswers(bucket, signal);
        return { status: 'ok' };
      }),
    ),
    ...targets.streams.map(({ name, table }) =>
      probe(name, 'stream', async (signal) => {
        const progress = await probes.heartbeats(table).read(name, signal);
        // No heartbeat yet: the processor has not handled a batch since it was deployed.
        if (!progress) return { status: 'ok', detail: { lagMs: null, lastBatchAt: null } };
        const lagMs = Math.max(0, progress.processedAt - progress.lastRecordAt);
        return {
          status: lagMs > options.maxStreamLagMs ? 'degraded' : 'ok',
          detail: { lagMs, lastBatchAt: new Date(progress.processedAt).toISOString() },
        };
      }),
    ),
  ]);
  const status = dependencies.reduce<HealthStatus>((worst, d) => (RANK[d.status] > RANK[worst] ? d.status : worst), 'ok');
  return { status, checkedAt: new Date(clock.now()).toISOString(), dependencies };
}
