import { gatewayClaims } from '../../lib/local/identity/claims.js';

const NOW_S = 1_767_225_600;

/**
 * The claims a Cognito authorizer passes for an ID token of `sub` (in `groups`), formatted as API
 * Gateway REST hands them to a function (lib/local/identity/claims.ts).
 */
export function claimsOf(sub: string, groups: readonly string[] = []): Record<string, string> {
  return gatewayClaims({
    sub,
    ...(groups.length ? { 'cognito:groups': [...groups] } : {}),
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test00001',
    'cognito:username': `user-${sub}`,
    aud: 'testclient0000000000000000',
    token_use: 'id',
    auth_time: NOW_S,
    iat: NOW_S,
    exp: NOW_S + 3600,
  });
}

/** A signed-in buyer's claims. */
export const buyer = (sub = 'sub-ann') => claimsOf(sub);

/** A member of the `admins` group. */
export const admin = (sub = 'sub-ops') => claimsOf(sub, ['admins']);
