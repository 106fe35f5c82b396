import { randomUUID } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { UserPoolClientDescription, UserPoolDescription } from '../stack-description.js';
import { LOCAL_REGION } from '../template.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** What a sign-in returns, as `/_local/tokens` answers it. */
export interface IssuedTokens {
  idToken: string;
  accessToken: string;
  /** Seconds the ID token is valid for (the app client's IdTokenValidity). */
  expiresIn: number;
}

export interface SignIn {
  username: string;
  /** Groups of the pool the user is in (each must exist in the template). */
  groups?: readonly string[];
  /** The app client signed in through (default: the pool's first client). */
  clientId?: string;
}

/** A refusal of a sign-in request (unknown client or group), for the caller to answer 400. */
export class SignInRefused extends Error {
  override readonly name = 'SignInRefused';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * A stand-in for one Cognito user pool on this machine: an RS256 key pair generated for the run,
 * the pool's issuer URL (`https://cognito-idp.<region>.amazonaws.com/<pool id>`), and tokens shaped
 * like Cognito's for the pool's app clients and groups as the template declares them. A username
 * maps to one `sub` for the whole run, as a user pool keeps a user's `sub`.
 *
 * It signs in whoever asks (there are no passwords here): it exists so scripts and tests can
 * call the routes a real user pool guards, through the same verification API Gateway applies.
 */
export class LocalIssuer {
  readonly userPoolId: string;
  readonly issuer: string;
  private readonly subs = new Map<string, string>();

  private constructor(
    readonly pool: UserPoolDescription,
    private readonly privateKey: PrivateKey,
    /** The public key, as Cognito publishes its keys at `<issuer>/.well-known/jwks.json`. */
    readonly jwks: Jwks,
    private readonly kid: string,
  ) {
    this.userPoolId = pool.name;
    this.issuer = `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${pool.name}`;
  }

  static async create(pool: UserPoolDescription): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new LocalIssuer(pool, privateKey, { keys: [jwk] } as Jwks, kid);
  }

  /** The `sub` of `username` for this run (a UUID, as Cognito issues). */
  subFor(username: string): string {
    let sub = this.subs.get(username);
    if (!sub) {
      sub = randomUUID();
      this.subs.set(username, sub);
    }
    return sub;
  }

  /** The pool's client with `clientId`, or its first client. */
  client(clientId?: string): UserPoolClientDescription {
    const client = clientId === undefined ? this.pool.clients[0] : this.pool.clients.find((c) => c.clientId === clientId);
    if (!client) {
      const known = this.pool.clients.map((c) => `${c.clientId} (${c.clientName})`).join(', ');
      throw new SignInRefused(`No app client ${clientId ?? ''} in user pool ${this.userPoolId}; its clients: ${known}`, 'clientId');
    }
    return client;
  }

  /** Signs `username` in: an ID token and an access token as Cognito issues them. */
  async signIn(request: SignIn, now = Date.now()): Promise<IssuedTokens> {
    const client = this.client(request.clientId);
    const groups = [...new Set(request.groups ?? [])];
    for (const group of groups) {
      if (!this.pool.groups.includes(group)) {
        throw new SignInRefused(`No group ${group} in user pool ${this.userPoolId}; its groups: ${this.pool.groups.join(', ')}`, 'groups');
      }
    }
    const sub = this.subFor(request.username);
    const iat = Math.floor(now / 1000);
    const common = {
      sub,
      // Cognito leaves the claim out for a user in no group.
      ...(groups.length ? { 'cognito:groups': groups } : {}),
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      auth_time: iat,
      iat,
      jti: randomUUID(),
    };
    const [idToken, accessToken] = await Promise.all([
      this.sign({
        ...common,
        aud: client.clientId,
        token_use: 'id',
        'cognito:username': request.username,
        exp: iat + client.idTokenValiditySeconds,
      }),
      this.sign({
        ...common,
        client_id: client.clientId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        username: request.username,
        exp: iat + client.accessTokenValiditySeconds,
      }),
    ]);
    return { idToken, accessToken, expiresIn: client.idTokenValiditySeconds };
  }

  /**
   * Signs any payload with this pool's key and issuer (tests use it for tokens no sign-in gives:
   * expired, for another audience).
   */
  sign(payload: Record<string, unknown>): Promise<string> {
    return new SignJWT({ iss: this.issuer, ...payload }).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(this.privateKey);
  }
}
