/**
 * Runs a burst (see burst.ts) in a child process, so the load generator does not share the event
 * loop (or the core) of the server it measures. Reports progress, then the result, over IPC.
 */
import { type BurstSpec, burst } from './burst.js';

process.once('message', async (spec: BurstSpec) => {
  const result = await burst(spec, (progress) => process.send?.({ type: 'progress', progress }));
  process.send?.({ type: 'result', result }, () => process.exit(0));
});
