import { describe, expect, it } from 'vitest';
import { CognitoAuthorizer } from '../../../../lib/local/identity/authorizer.js';
import { LocalIssuer } from '../../../../lib/local/identity/issuer.js';
import { fixturePool } from '../fixtures.js';

describe('CognitoAuthorizer', () => {
  it('accepts an ID token raw or after Bearer (any case, extra blanks), and passes its claims as strings', async () => {
    const issuer = await LocalIssuer.create(fixturePool());
    const authorizer = new CognitoAuthorizer([issuer]);
    const { idToken } = await issuer.signIn({ username: 'alice', groups: ['admins'] });

    const answers = [idToken, `Bearer ${idToken}`, `bearer  ${idToken} `].map((header) => authorizer.authorize(header));

    for (const answer of answers) {
      expect(answer).toEqual({ ok: true, claims: expect.objectContaining({ sub: issuer.subFor('alice'), 'cognito:groups': 'admins' }) });
    }
  });

  it('accepts tokens of every pool it names, and only those', async () => {
    const [ours, theirs, other] = await Promise.all([
      LocalIssuer.create(fixturePool()),
      LocalIssuer.create({ ...fixturePool(), logicalId: 'Second', name: 'us-east-1_Test00002' }),
      LocalIssuer.create({ ...fixturePool(), logicalId: 'Third', name: 'us-east-1_Test00003' }),
    ]);
    const authorizer = new CognitoAuthorizer([ours, theirs]);

    expect(authorizer.authorize((await ours.signIn({ username: 'a' })).idToken).ok).toBe(true);
    expect(authorizer.authorize((await theirs.signIn({ username: 'b' })).idToken).ok).toBe(true);
    expect(authorizer.authorize((await other.signIn({ username: 'c' })).idToken)).toEqual({ ok: false, message: 'Unauthorized' });
  });

  it('says an expired token has expired, as API Gateway does, and refuses a token not yet valid', async () => {
    const issuer = await LocalIssuer.create(fixturePool());
    const authorizer = new CognitoAuthorizer([issuer]);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: issuer.subFor('x'), token_use: 'id', aud: fixturePool().clients[0]?.clientId };

    expect(authorizer.authorize(await issuer.sign({ ...claims, iat: now - 60, exp: now - 1 }))).toEqual({
      ok: false,
      message: 'The incoming token has expired',
    });
    expect(authorizer.authorize(await issuer.sign({ ...claims, iat: now, nbf: now + 600, exp: now + 3600 })).ok).toBe(false);
  });
});
