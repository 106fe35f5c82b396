import { readFileSync } from 'node:fs';
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CrestStack } from './crest-stack.js';

export const STACK_NAME = 'Crest';

/**
 * The `context` of cdk.json: Crest's defaults and the CDK's recommended feature flags. The CDK CLI
 * passes it to the app itself; reading it here as well gives the same flags to every synthesis
 * that does not go through the CLI (tests, the local runtime), so they all review one template.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Builds the CDK app with cdk-nag's AwsSolutions pack applied to everything in it. `context`
 * overrides cdk.json (as `-c key=value` does on the command line, which overrides both).
 *
 * The stack is environment-agnostic on purpose: nothing is looked up from an account at synth
 * time (availability zones included, see CrestStack), so the template reviewed here is the
 * template that deploys, with or without credentials.
 */
export function createApp(options: { context?: Record<string, unknown>; outdir?: string } = {}): { app: App; stack: CrestStack } {
  const app = new App({ context: { ...cdkJsonContext(), ...options.context }, outdir: options.outdir });
  const stack = new CrestStack(app, STACK_NAME);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}
