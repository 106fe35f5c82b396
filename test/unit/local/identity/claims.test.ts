import { describe, expect, it } from 'vitest';
import { gatewayClaims, javaUtcDate } from '../../../../lib/local/identity/claims.js';

describe('gatewayClaims', () => {
  it('passes every claim as a string, as API Gateway REST does: groups comma-joined, exp and iat as dates', () => {
    expect(
      gatewayClaims({
        sub: 'a1b2',
        'cognito:groups': ['admins', 'buyers'],
        email_verified: true,
        auth_time: 1513492092,
        iat: 1513492092,
        exp: 1513495692,
        nothing: undefined,
      }),
    ).toEqual({
      sub: 'a1b2',
      'cognito:groups': 'admins,buyers',
      email_verified: 'true',
      auth_time: '1513492092',
      iat: 'Sun Dec 17 06:28:12 UTC 2017',
      exp: 'Sun Dec 17 07:28:12 UTC 2017',
    });
  });
});

describe('javaUtcDate', () => {
  it('prints epoch seconds as java.util.Date does in UTC', () => {
    expect(javaUtcDate(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(javaUtcDate(1_767_225_600)).toBe('Thu Jan 01 00:00:00 UTC 2026');
  });
});
