import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import type { Routes } from './router.js';

/** Who is calling, as the gateway's Cognito authorizer verified it. */
export interface Caller {
  /** The token's `sub`: the user pool's stable id of the user. */
  readonly sub: string;
  /** The token's `cognito:groups`. */
  readonly groups: readonly string[];
}

/** The user pool group whose members may call `/v1/admin/...`. */
export const ADMIN_GROUP = 'admins';

/** A `sub` fit to key a record: Cognito issues UUIDs; anything unprintable or unbounded is refused. */
const SUB_PATTERN = /^[\x21-\x7E]{1,128}$/;

/**
 * The caller, read only from `requestContext.authorizer.claims`, which API Gateway fills after its
 * Cognito authorizer verified the token (signature, issuer, expiry, audience). Nothing the client
 * sends (a body, a header) is ever read as an identity. The authorizer refuses a request without a
 * valid token before the function runs; a route reached without claims anyway (a misconfigured
 * method) is answered 401 rather than served to nobody in particular.
 *
 * @throws UnauthorizedError UNAUTHORIZED when there is no usable `sub` claim.
 */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const caller = verifiedCaller(event);
  if (!caller) throw new UnauthorizedError('This route needs a valid token in the Authorization header');
  return caller;
}

/** The caller when the event carries a usable identity, else undefined (never throws). */
export function verifiedCaller(event: APIGatewayProxyEvent): Caller | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) return undefined;
  return { sub, groups: groupsClaim(claims?.['cognito:groups']) };
}

/**
 * `cognito:groups` as any API Gateway flavour passes it: REST APIs flatten claims to strings and
 * join an array with commas (`admins,buyers`); HTTP APIs write `[admins buyers]`; a direct
 * invocation or a future format may pass a real array.
 */
export function groupsClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string' && g.length > 0);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  const bracketed = /^\[(.*)\]$/s.exec(text);
  const parts = bracketed ? (bracketed[1] ?? '').split(/[\s,]+/) : text.split(',');
  return parts.map((g) => g.trim()).filter((g) => g.length > 0);
}

/**
 * The caller, who must be in the `admins` group.
 * @throws UnauthorizedError without an identity; ForbiddenError FORBIDDEN for anyone else.
 */
export function requireAdmin(event: APIGatewayProxyEvent): Caller {
  const caller = callerOf(event);
  if (!caller.groups.includes(ADMIN_GROUP)) throw new ForbiddenError(`This route is for members of the ${ADMIN_GROUP} group`);
  return caller;
}

/** `routes` with every handler first requiring an admin (see requireAdmin): the back office's routes. */
export function adminOnly(routes: Routes): Routes {
  return Object.fromEntries(
    Object.entries(routes).map(([key, route]) => [
      key,
      {
        ...route,
        handle: async (event, signal) => {
          requireAdmin(event);
          return route.handle(event, signal);
        },
      },
    ]),
  );
}
