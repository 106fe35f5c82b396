import { createHash } from 'node:crypto';

/**
 * A deduction's id is derived from its Idempotency-Key, so a retry with the same key names the
 * same request: `d_` + the first 26 characters of base64url(SHA-256(key)).
 */
export function deductionIdFor(idempotencyKey: string): string {
  return `d_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 26)}`;
}

/** What `deductionIdFor` produces (the one definition of the format). */
export const DEDUCTION_ID_PATTERN = /^d_[A-Za-z0-9_-]{26}$/;
