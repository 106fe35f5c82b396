import { describe, expect, it } from 'vitest';
import {
  deductionBodySchema,
  feedQuerySchema,
  ifMatchSchema,
  isDisplaySafe,
  jsonBody,
  parse,
  priceBodySchema,
  stockBodySchema,
} from '../../../lambdas/http/validation.js';

describe('isDisplaySafe', () => {
  it('accepts any script and emoji, tab and line breaks only where allowed', () => {
    expect(isDisplaySafe('Café Ünïcode ✓ 日本語 👟 עברית', false)).toBe(true);
    expect(isDisplaySafe('a\n\tb\r\n', true)).toBe(true);
    expect(isDisplaySafe('a\nb', false)).toBe(false);
  });

  it('refuses control characters, bidi overrides and isolates, and lone surrogates', () => {
    for (const bad of ['\u0000', '\u0007', '\u001b', '\u007f', '\u009b', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', 'x\udc00']) {
      expect(isDisplaySafe(`ok${bad}ok`, true), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('feedQuerySchema', () => {
  const query = (q: Record<string, string>) => feedQuerySchema.safeParse(q);

  it('reads page (default 1) and version as plain decimal numbers', () => {
    expect(query({}).data).toEqual({ page: 1 });
    expect(query({ page: '2', version: '1700000000000' }).data).toEqual({ page: 2, version: 1_700_000_000_000 });
  });

  it('refuses anything but plain decimal digits in range: empty, hex, exponent, sign, blank, zero page', () => {
    for (const q of <Array<Record<string, string>>>[
      { version: '' },
      { page: '' },
      { page: '0x2' },
      { page: '2e0' },
      { page: '+2' },
      { page: ' 2' },
      { page: '0' },
      { page: '10001' },
      { version: '-1' },
    ]) {
      expect(query(q).success, JSON.stringify(q)).toBe(false);
    }
  });
});

describe('priceBodySchema', () => {
  it('takes integer minor units from 1, and an original never below the amount', () => {
    expect(priceBodySchema.safeParse({ amount: 1, currency: 'USD' }).success).toBe(true);
    expect(priceBodySchema.safeParse({ amount: 100, original: 100, currency: 'USD' }).success).toBe(true);
    expect(priceBodySchema.safeParse({ amount: 0, currency: 'USD' }).success).toBe(false);
    expect(priceBodySchema.safeParse({ amount: 100, original: 99, currency: 'USD' }).success).toBe(false);
  });
});

describe('stockBodySchema', () => {
  it('sets up to 10,000,000 units or adds a delta, never both', () => {
    expect(stockBodySchema.safeParse({ quantity: 10_000_000 }).success).toBe(true);
    expect(stockBodySchema.safeParse({ quantity: 10_000_001 }).success).toBe(false);
    expect(stockBodySchema.safeParse({ delta: -3 }).success).toBe(true);
    expect(stockBodySchema.safeParse({ quantity: 1, delta: 1 }).success).toBe(false);
  });
});

describe('ifMatchSchema', () => {
  it('reads a version from "3", W/"3" or 3', () => {
    expect(['"3"', 'W/"3"', '3', ' "3" '].map((h) => ifMatchSchema.parse(h))).toEqual([3, 3, 3, 3]);
    expect(ifMatchSchema.safeParse('abc').success).toBe(false);
  });
});

describe('deductionBodySchema', () => {
  it('takes a quantity of 1-100 and nothing else: the SKU is in the path, the buyer in the token', () => {
    expect(deductionBodySchema.safeParse({ quantity: 1 }).data).toEqual({ quantity: 1 });
    expect(deductionBodySchema.safeParse({ quantity: 101 }).success).toBe(false);
    expect(deductionBodySchema.safeParse({ quantity: 1, userId: 'mallory' }).success).toBe(false);
    expect(deductionBodySchema.safeParse({ quantity: 1, sku: 'SKU-1' }).success).toBe(false);
  });
});

describe('parse and jsonBody', () => {
  it('names each field a strict schema does not know', () => {
    expect(() => parse(deductionBodySchema, { quantity: 1, userId: 'mallory', owner: 'x' }, 'body')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [
          { path: 'body.userId', message: 'is not a field of this request' },
          { path: 'body.owner', message: 'is not a field of this request' },
        ],
      }),
    );
  });

  it('lists every failing field with its path', () => {
    expect(() => parse(priceBodySchema, { amount: 1.5, currency: 'EURO' }, 'body')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'body.amount' }), expect.objectContaining({ path: 'body.currency' })],
      }),
    );
  });

  it('answers a missing body BODY_REQUIRED and malformed JSON MALFORMED_JSON', () => {
    expect(() => jsonBody('')).toThrow(expect.objectContaining({ code: 'BODY_REQUIRED' }));
    expect(() => jsonBody('{nope')).toThrow(expect.objectContaining({ code: 'MALFORMED_JSON' }));
    expect(jsonBody(Buffer.from('{"a":1}').toString('base64'), true)).toEqual({ a: 1 });
  });
});
