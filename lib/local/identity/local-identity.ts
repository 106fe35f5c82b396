import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Route, UserPoolDescription } from '../stack-description.js';
import { type AuthorizerOutcome, CognitoAuthorizer } from './authorizer.js';
import { type IssuedTokens, LocalIssuer, SignInRefused } from './issuer.js';

/** `POST /_local/tokens`: who signs in, in which groups, through which app client. */
const tokenRequestSchema = z.strictObject({
  username: z.string().check(z.regex(/^[\x21-\x7E]{1,128}$/, 'must be 1-128 visible ASCII characters')),
  groups: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(25))),
  clientId: z.optional(z.string()),
  userPoolId: z.optional(z.string()),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/**
 * The template's user pools on this machine: a local issuer per pool (LocalIssuer), the
 * authorizer each API method names (CognitoAuthorizer), and `POST /_local/tokens`, the one call
 * that gives a script or a test a token.
 */
export class LocalIdentity {
  private readonly authorizers = new Map<string, CognitoAuthorizer>();

  private constructor(readonly issuers: readonly LocalIssuer[]) {}

  static async create(pools: readonly UserPoolDescription[]): Promise<LocalIdentity> {
    return new LocalIdentity(await Promise.all(pools.map((pool) => LocalIssuer.create(pool))));
  }

  /** The issuer of the pool with `userPoolId` (or logical ID), or of the only pool. */
  issuer(userPoolId?: string): LocalIssuer {
    const found =
      userPoolId === undefined
        ? this.issuers.length === 1
          ? this.issuers[0]
          : undefined
        : this.issuers.find((i) => i.userPoolId === userPoolId || i.pool.logicalId === userPoolId);
    if (!found) {
      const known = this.issuers.map((i) => i.userPoolId).join(', ') || 'none';
      throw new SignInRefused(`Name one of the stack's user pools as userPoolId (have: ${known})`, 'userPoolId');
    }
    return found;
  }

  /** Signs a user in (see LocalIssuer.signIn). */
  signIn(request: TokenRequest): Promise<IssuedTokens> {
    return this.issuer(request.userPoolId).signIn(request);
  }

  /** Applies `route`'s authorizer to the header it names. A route without one needs no token. */
  authorize(route: Route, header: string | undefined): AuthorizerOutcome | undefined {
    const spec = route.authorizer;
    if (!spec) return undefined;
    let authorizer = this.authorizers.get(spec.logicalId);
    if (!authorizer) {
      authorizer = new CognitoAuthorizer(spec.userPoolLogicalIds.map((id) => this.issuer(id)));
      this.authorizers.set(spec.logicalId, authorizer);
    }
    return authorizer.authorize(header);
  }

  /**
   * The claims a request by `username` carries past the authorizer: for invocations the local
   * runtime makes itself (the demo feed is published as a back-office user would).
   */
  async claimsOf(username: string, groups: readonly string[], route: Route): Promise<Record<string, string>> {
    const { idToken } = await this.issuer(route.authorizer?.userPoolLogicalIds[0]).signIn({ username, groups });
    const outcome = this.authorize(route, idToken);
    if (!outcome?.ok) throw new Error(`The local authorizer refused its own token for ${route.method} ${route.resourcePath}`);
    return outcome.claims;
  }

  /** `POST /_local/tokens` with `{ username, groups?, clientId?, userPoolId? }` → 200 `{ idToken, accessToken, expiresIn }`. */
  async tokensEndpoint(body: string | null, requestId: string): Promise<APIGatewayProxyResult> {
    let input: unknown;
    try {
      input = JSON.parse(body ?? '');
    } catch {
      return refusal(requestId, 'MALFORMED_JSON', 'Send a JSON body such as {"username": "alice"}');
    }
    const parsed = tokenRequestSchema.safeParse(input);
    if (!parsed.success) {
      const details = parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: `body.${key}`, message: 'is not a field of this request' }))
          : [{ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message }],
      );
      return refusal(requestId, 'VALIDATION_FAILED', 'Invalid body', details);
    }
    try {
      return json(200, await this.signIn(parsed.data));
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      return refusal(requestId, 'VALIDATION_FAILED', 'Invalid body', [{ path: `body.${error.field}`, message: error.message }]);
    }
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

function refusal(requestId: string, code: string, message: string, details?: unknown): APIGatewayProxyResult {
  return json(400, { error: { code, message, ...(details ? { details } : {}) }, requestId });
}
