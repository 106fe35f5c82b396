import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { LocalIssuer } from '../../../../lib/local/identity/issuer.js';
import { fixturePool } from '../fixtures.js';

const pool = fixturePool();

describe('LocalIssuer', () => {
  it('gives a username one sub for the run, and another username another', async () => {
    const issuer = await LocalIssuer.create(pool);

    const first = decodeJwt((await issuer.signIn({ username: 'alice' })).idToken).sub;
    const again = decodeJwt((await issuer.signIn({ username: 'alice', groups: ['admins'] })).idToken).sub;
    const bob = decodeJwt((await issuer.signIn({ username: 'bob' })).idToken).sub;

    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(again).toBe(first);
    expect(bob).not.toBe(first);
  });

  it('issues ID and access tokens shaped like Cognito’s, for the client and lifetime the template declares', async () => {
    const issuer = await LocalIssuer.create(pool);
    const now = 1_767_225_600_000;

    const tokens = await issuer.signIn({ username: 'ops', groups: ['admins'], clientId: 'officeclient00000000000000' }, now);

    expect(tokens.expiresIn).toBe(900);
    expect(decodeProtectedHeader(tokens.idToken)).toEqual({ alg: 'RS256', kid: issuer.jwks.keys[0]?.kid });
    expect(decodeJwt(tokens.idToken)).toMatchObject({
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test00001',
      aud: 'officeclient00000000000000',
      token_use: 'id',
      'cognito:username': 'ops',
      'cognito:groups': ['admins'],
      auth_time: now / 1000,
      iat: now / 1000,
      exp: now / 1000 + 900,
    });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({
      client_id: 'officeclient00000000000000',
      token_use: 'access',
      username: 'ops',
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(decodeJwt((await issuer.signIn({ username: 'plain' })).idToken)['cognito:groups']).toBeUndefined();
  });

  it('refuses a group or client the pool does not have', async () => {
    const issuer = await LocalIssuer.create(pool);

    await expect(issuer.signIn({ username: 'x', groups: ['root'] })).rejects.toMatchObject({ name: 'SignInRefused', field: 'groups' });
    await expect(issuer.signIn({ username: 'x', clientId: 'nope' })).rejects.toMatchObject({ name: 'SignInRefused', field: 'clientId' });
  });
});
