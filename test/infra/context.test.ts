import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../lib/context.js';

const settings = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('readSettings', () => {
  it('defaults to AWS with DAX and WAF, a consumer capped at 5 and no reserved concurrency', () => {
    expect(settings({})).toMatchObject({
      buyerRateLimit: 60,
      target: 'aws',
      dax: true,
      waf: true,
      daxAvailabilityZones: 3,
      deductionConcurrency: 5,
      deductionReservedConcurrency: false,
      corsAllowedOrigins: [],
    });
  });

  it('reads CORS origins as a JSON list or a comma-separated string, and refuses what is not an origin', () => {
    expect(settings({ corsAllowedOrigins: ['https://shop.example', 'http://localhost:5173'] }).corsAllowedOrigins).toEqual([
      'https://shop.example',
      'http://localhost:5173',
    ]);
    expect(settings({ corsAllowedOrigins: 'https://a.example, https://b.example' }).corsAllowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(settings({ corsAllowedOrigins: '*' }).corsAllowedOrigins).toEqual(['*']);
    expect(() => settings({ corsAllowedOrigins: 'https://shop.example/' })).toThrow(/corsAllowedOrigins must list origins/);
    expect(() => settings({ corsAllowedOrigins: 'shop.example' })).toThrow(/corsAllowedOrigins/);
    expect(() => settings({ corsAllowedOrigins: '*,https://a.example' })).toThrow(/list it alone/);
  });

  it('turns DAX and WAF off wherever they do not exist, whatever is asked', () => {
    expect(settings({ target: 'localstack', dax: true, waf: true })).toMatchObject({ dax: false, waf: false });
    expect(settings({ target: 'local', dax: 'true' })).toMatchObject({ dax: false, waf: false });
  });

  it('reads values passed as strings, as `-c key=value` passes them', () => {
    expect(settings({ deductionConcurrency: '9', deductionReservedConcurrency: 'true', dax: 'false' })).toMatchObject({
      deductionConcurrency: 9,
      deductionReservedConcurrency: true,
      dax: false,
    });
  });

  it('rejects a consumer concurrency below 2, which the SQS event source cannot express', () => {
    expect(() => settings({ deductionConcurrency: 1 })).toThrow(
      /deductionConcurrency must be an integer from 2 to 1000 .*MaximumConcurrency.*got 1/,
    );
    expect(() => settings({ deductionConcurrency: '1' })).toThrow(/deductionConcurrency/);
    expect(() => settings({ deductionConcurrency: 1001 })).toThrow(/deductionConcurrency/);
    expect(() => settings({ deductionConcurrency: 2.5 })).toThrow(/deductionConcurrency/);
  });

  it('reads the alarm e-mail address, and none when it is absent or empty', () => {
    expect(settings({ alarmEmail: 'oncall@example.com' }).alarmEmail).toBe('oncall@example.com');
    expect(settings({}).alarmEmail).toBeUndefined();
    expect(settings({ alarmEmail: '' }).alarmEmail).toBeUndefined();
    expect(() => settings({ alarmEmail: 'not an address' })).toThrow(/alarmEmail must be an e-mail address/);
  });

  it('rejects values that are not what the key takes, naming the key', () => {
    expect(() => settings({ target: 'gcp' })).toThrow(/target must be aws\|localstack\|local/);
    expect(() => settings({ deductionReservedConcurrency: 'yes' })).toThrow(/deductionReservedConcurrency must be true or false/);
    expect(() => settings({ daxAvailabilityZones: 0 })).toThrow(/daxAvailabilityZones/);
    expect(() => settings({ deductionTimeoutSeconds: 901 })).toThrow(/deductionTimeoutSeconds.*900/);
    expect(() => settings({ apiThrottleRate: -1 })).toThrow(/apiThrottleRate must be a positive number/);
    expect(() => settings({ buyerRateLimit: 9 })).toThrow(/buyerRateLimit must be an integer from 10 .*WAF/);
  });

  it('holds won deductions 600 s by default, and takes 30 to 3600 s (as a string too, as HOLD_SECONDS passes it)', () => {
    expect(settings({}).holdSeconds).toBe(600);
    expect(settings({ holdSeconds: '30' }).holdSeconds).toBe(30);
    expect(settings({ holdSeconds: 3600 }).holdSeconds).toBe(3600);
    expect(() => settings({ holdSeconds: 29 })).toThrow(/context holdSeconds must be an integer from 30 to 3600 .*got 29/);
    expect(() => settings({ holdSeconds: 3601 })).toThrow(/holdSeconds/);
    expect(() => settings({ holdSeconds: 'soon' })).toThrow(/holdSeconds/);
  });
});
