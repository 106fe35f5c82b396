/**
 * Runs a burst (see burst.ts) in a child process, so the load generator does not share the event
 * loop (or the core) of the server it measures.
 */
import { type BurstSpec, deductionBurst } from './burst.js';

process.once('message', async (spec: BurstSpec) => {
  const result = await deductionBurst(spec);
  process.send?.(result, () => process.exit(0));
});
