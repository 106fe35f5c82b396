import { describe, expect, it } from 'vitest';
import { adminOnly, callerOf, groupsClaim, requireAdmin } from '../../../lambdas/http/identity.js';
import { json } from '../../../lambdas/http/response.js';
import { read } from '../../../lambdas/http/router.js';
import { apiEvent } from '../../helpers/events.js';
import { admin, buyer, claimsOf } from '../../helpers/identity.js';

describe('callerOf', () => {
  it('reads the caller from the authorizer’s claims only', () => {
    const event = apiEvent({ claims: claimsOf('sub-ann', ['buyers']), headers: { 'x-user-id': 'mallory' }, body: { userId: 'mallory' } });

    expect(callerOf(event)).toEqual({ sub: 'sub-ann', groups: ['buyers'] });
  });

  it('refuses 401 UNAUTHORIZED without claims, or with a sub unfit to key a record', () => {
    for (const claims of <Array<Record<string, string> | undefined>>[
      undefined,
      {},
      { sub: '' },
      { sub: 'a b' },
      { sub: 'x'.repeat(129) },
      { sub: 'tab\there' },
    ]) {
      expect(() => callerOf(apiEvent({ claims })), JSON.stringify(claims)).toThrow(
        expect.objectContaining({ kind: 'unauthenticated', code: 'UNAUTHORIZED' }),
      );
    }
  });

  it('ignores what a client puts in its own request: a body or header naming a user is no identity', () => {
    const event = apiEvent({ headers: { authorization: 'sub-ann' }, body: { userId: 'sub-ann', sub: 'sub-ann' } });

    expect(() => callerOf(event)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });
});

describe('groupsClaim', () => {
  it('reads every way API Gateway passes cognito:groups', () => {
    expect(groupsClaim('admins')).toEqual(['admins']);
    expect(groupsClaim('admins,buyers')).toEqual(['admins', 'buyers']);
    expect(groupsClaim('[admins buyers]')).toEqual(['admins', 'buyers']);
    expect(groupsClaim(['admins', 'buyers'])).toEqual(['admins', 'buyers']);
    expect(groupsClaim('')).toEqual([]);
    expect(groupsClaim(undefined)).toEqual([]);
    expect(groupsClaim(3)).toEqual([]);
  });

  it('does not take a group for a part of another group’s name', () => {
    expect(groupsClaim('not-admins,admins-readonly')).not.toContain('admins');
  });
});

describe('requireAdmin', () => {
  it('lets a member of admins through', () => {
    expect(requireAdmin(apiEvent({ claims: admin() })).sub).toBe('sub-ops');
  });

  it('refuses a buyer 403 FORBIDDEN and nobody 401 UNAUTHORIZED', () => {
    expect(() => requireAdmin(apiEvent({ claims: buyer() }))).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'FORBIDDEN' }));
    expect(() => requireAdmin(apiEvent({}))).toThrow(expect.objectContaining({ kind: 'unauthenticated', code: 'UNAUTHORIZED' }));
  });
});

describe('adminOnly', () => {
  it('runs a route only for an admin', async () => {
    let ran = 0;
    const routes = adminOnly({
      'GET /x': read(async () => {
        ran += 1;
        return json(200, {});
      }),
    });
    const handle = routes['GET /x']?.handle;
    if (!handle) throw new Error('route lost');

    await expect(handle(apiEvent({ claims: buyer() }), new AbortController().signal)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(handle(apiEvent({}), new AbortController().signal)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(ran).toBe(0);
    expect((await handle(apiEvent({ claims: admin() }), new AbortController().signal)).statusCode).toBe(200);
    expect(ran).toBe(1);
  });
});
