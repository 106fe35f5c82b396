import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../lib/local/runtime.js';

/**
 * The local runtime as every benchmark runs it: a free port, and stage throttling lifted (the
 * benchmarks measure the path, not the limit).
 */
export function benchRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  return startLocalRuntime({
    port: 0,
    log: (line) => console.log(`[bench] ${line}`),
    ...options,
    context: { apiThrottleRate: 10_000_000, apiThrottleBurst: 10_000_000, ...options.context },
  });
}
