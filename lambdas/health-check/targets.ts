import * as z from 'zod/mini';
import type { HealthTargets } from '../domain/health/check.js';
import { ConfigurationError } from '../shared/env.js';

const tables = z.array(z.object({ name: z.string(), table: z.string() }));
const queues = z.array(z.object({ name: z.string(), url: z.string() }));

const targetsSchema = z.object({
  tables,
  queues,
  deadLetterQueues: queues,
  buckets: z.array(z.object({ name: z.string(), bucket: z.string() })),
  streams: tables,
});

/** HEALTH_TARGETS, as ServiceHealth writes it: what the deep check probes, by the names it reports. */
export function healthTargets(raw: string): HealthTargets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError('HEALTH_TARGETS is not JSON');
  }
  const result = targetsSchema.safeParse(parsed);
  if (!result.success) throw new ConfigurationError(`HEALTH_TARGETS is malformed: ${result.error.message}`);
  return result.data;
}
