import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CrestStack } from './crest-stack.js';

export const STACK_NAME = 'Crest';

/** Builds the CDK app with cdk-nag's AwsSolutions pack applied to everything in it. */
export function createApp(options: { context?: Record<string, unknown>; outdir?: string } = {}): { app: App; stack: CrestStack } {
  const app = new App({ context: options.context, outdir: options.outdir });
  const stack = new CrestStack(app, STACK_NAME, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}
