import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { gatewayClaims } from './claims.js';
import type { LocalIssuer } from './issuer.js';

/** What the authorizer decided: the claims to pass on, or why the request is refused (401). */
export type AuthorizerOutcome = { ok: true; claims: Record<string, string> } | { ok: false; message: string };

/**
 * API Gateway's COGNITO_USER_POOLS authorizer with no authorization scopes, on this machine: the
 * header must hold an ID token (a raw JWT, or `Bearer <JWT>` as API Gateway also accepts) issued
 * by one of the user pools, signed with its key, unexpired, for one of its app clients.
 * Verification is AWS's `aws-jwt-verify`, synchronous against the pools' JWKS loaded up front
 * (nothing is fetched). A refusal carries API Gateway's own message: "Unauthorized", or "The
 * incoming token has expired".
 */
export class CognitoAuthorizer {
  private readonly verifier;

  constructor(issuers: readonly LocalIssuer[]) {
    this.verifier = CognitoJwtVerifier.create(
      issuers.map((i) => ({ userPoolId: i.userPoolId, tokenUse: 'id' as const, clientId: i.pool.clients.map((c) => c.clientId) })),
    );
    for (const i of issuers) this.verifier.cacheJwks(i.jwks, i.userPoolId);
  }

  authorize(header: string | undefined): AuthorizerOutcome {
    const token = header
      ?.trim()
      .replace(/^Bearer\s+/i, '')
      .trim();
    if (!token) return { ok: false, message: 'Unauthorized' };
    try {
      return { ok: true, claims: gatewayClaims(this.verifier.verifySync(token) as Record<string, unknown>) };
    } catch (error) {
      return { ok: false, message: error instanceof JwtExpiredError ? 'The incoming token has expired' : 'Unauthorized' };
    }
  }
}
