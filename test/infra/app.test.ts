import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FeatureFlags } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext, createApp } from '../../lib/app.js';

/** The flags aws-cdk-lib recommends for new projects (what `cdk init` writes into cdk.json). */
const recommended = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;

describe('cdkJsonContext', () => {
  it('sets every feature flag aws-cdk-lib recommends, at its recommended value', () => {
    const context = cdkJsonContext();
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    for (const [flag, value] of Object.entries(recommended)) expect(context[flag], flag).toEqual(value);
  });
});

describe('createApp', () => {
  it('applies cdk.json’s flags to synthesis outside the CDK CLI (tests, the local runtime)', () => {
    const { stack } = createApp({ context: { target: 'local' } });
    expect(FeatureFlags.of(stack).isEnabled('@aws-cdk/aws-ec2:restrictDefaultSecurityGroup')).toBe(true);
    expect(FeatureFlags.of(stack).isEnabled('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy')).toBe(true);
  });

  it('lets the given context override cdk.json, as `-c key=value` does', () => {
    expect(cdkJsonContext().dax).toBe(true);
    const { stack } = createApp({ context: { dax: false } });
    expect(stack.settings.dax).toBe(false);
  });
});
