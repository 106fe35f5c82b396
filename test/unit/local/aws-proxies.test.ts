import { describe, expect, it } from 'vitest';
import { AWS_CEILING, parseCeiling } from '../../../lib/local/aws-proxies.js';

describe('parseCeiling', () => {
  it('is off unless asked', () => {
    for (const raw of [undefined, '', 'off', 'false', '0']) expect(parseCeiling(raw)).toBeNull();
  });

  it('takes DynamoDB’s limits or scaled ones as <write>/<read> units per second', () => {
    expect(parseCeiling('on')).toEqual(AWS_CEILING);
    expect(parseCeiling('100/300')).toEqual({ writeUnitsPerSecond: 100, readUnitsPerSecond: 300, errorType: AWS_CEILING.errorType });
  });

  it('refuses anything else, naming the variable', () => {
    for (const raw of ['fast', '100', '0/300', '-1/3', '100/']) expect(() => parseCeiling(raw)).toThrow(/PARTITION_CEILING/);
  });
});
