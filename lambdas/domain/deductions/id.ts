import { createHmac } from 'node:crypto';

/** Names a caller's request: the same caller and Idempotency-Key always give the same id. */
export type DeductionIds = (owner: string, idempotencyKey: string) => string;

/** Shorter secrets are refused: the id is only as hard to forge as the secret is to guess. */
export const MIN_ID_SECRET_LENGTH = 32;

/**
 * Deduction ids: `d_` + the first 26 characters (156 bits) of
 * base64url(HMAC-SHA256(secret, `${owner}\n${idempotencyKey}`)).
 *
 * The owner (the token's `sub`) is part of the input, so two buyers using the same key name two
 * different requests and never see or block each other; the secret (generated at deploy, kept in
 * Secrets Manager, never in code) makes an id impossible to derive from anything a client knows,
 * so knowing someone's key does not let you name their deduction. `\n` cannot occur in either
 * part (both are visible ASCII), so no two (owner, key) pairs hash the same input.
 */
export function deductionIds(secret: string): DeductionIds {
  if (secret.length < MIN_ID_SECRET_LENGTH) {
    throw new Error(`The deduction id secret must be at least ${MIN_ID_SECRET_LENGTH} characters`);
  }
  return (owner, idempotencyKey) =>
    `d_${createHmac('sha256', secret).update(`${owner}\n${idempotencyKey}`).digest('base64url').slice(0, 26)}`;
}

/** What `deductionIds` produces (the one definition of the format). */
export const DEDUCTION_ID_PATTERN = /^d_[A-Za-z0-9_-]{26}$/;
