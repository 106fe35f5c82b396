import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CORRELATION_HEADER } from './correlation.js';
import { header } from './response.js';

/**
 * CORS for web clients, one policy for the three places that answer a browser: API Gateway's
 * preflight (OPTIONS) and its own error responses (lib/constructs/crest-api.ts), and every
 * function's answer (`withCors` below, applied by apiHandler). Off unless context
 * `corsAllowedOrigins` lists origins; mobile apps send no Origin and are not affected.
 */

/** Request headers a browser may send (the preflight allows exactly these). */
export const CORS_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  CORRELATION_HEADER,
] as const;

/** Response headers a script may read besides the CORS-safelisted ones. */
export const CORS_EXPOSE_HEADERS = ['ETag', 'Location', 'Retry-After', 'x-amzn-RequestId', CORRELATION_HEADER] as const;

/** How long a browser may cache a preflight answer (seconds). */
export const CORS_MAX_AGE_SECONDS = 600;

/** The env var carrying the allowed origins to functions (comma-separated; absent or empty: CORS off). */
export const CORS_ENV = 'CORS_ALLOWED_ORIGINS';

/** The allowed origins as the function's configuration says (read once, at cold start). */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[CORS_ENV] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * The CORS headers of an answer to a request from `origin`: none unless the origin is allowed
 * (or `*` is), so a page of another site cannot read the answer. `Vary: Origin` whenever the
 * answer depends on it, so a shared cache never serves one origin's answer to another.
 */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  if (allowed.length === 0) return {};
  const any = allowed.includes('*');
  if (!any && (origin === undefined || !allowed.includes(origin))) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': any ? '*' : (origin as string),
    'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(','),
    ...(any ? {} : { vary: 'Origin' }),
  };
}

/** Adds the CORS headers for the request's Origin to a function's answer. */
export function withCors(allowed: readonly string[], event: APIGatewayProxyEvent, result: APIGatewayProxyResult): APIGatewayProxyResult {
  const headers = corsHeaders(allowed, header(event?.headers, 'Origin'));
  if (Object.keys(headers).length === 0) return result;
  return { ...result, headers: { ...result.headers, ...headers } };
}
