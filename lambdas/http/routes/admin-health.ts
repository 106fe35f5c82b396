import type { HealthReport } from '../../domain/health/check.js';
import { adminOnly } from '../identity.js';
import { json } from '../response.js';
import { type Routes, read } from '../router.js';

/**
 * GET /v1/admin/health: the deep check for operators (admin only). 200 with the report whenever
 * the check ran, whatever it found: `status` (ok, degraded or failing) is the answer, and each
 * dependency says what was seen and how long it took. (The shallow, anonymous GET /v1/health is
 * answered by API Gateway itself: see ServiceHealth.)
 */
export function adminHealthRoutes(deps: { check: () => Promise<HealthReport> }): Routes {
  return adminOnly({
    'GET /v1/admin/health': read(async () => json(200, await deps.check(), { 'cache-control': 'no-store' })),
  });
}
