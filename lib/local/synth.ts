import path from 'node:path';
import { createApp, STACK_NAME } from '../app.js';
import { buildFunctions } from '../build/bundle.js';
import { ROOT } from '../build/functions.js';
import type { CfnTemplate } from './template.js';

export interface LocalAssembly {
  template: CfnTemplate;
  /** The stack's CloudFormation name (what `AWS::StackName` resolves to). */
  stackName: string;
  /** Directory of the cloud assembly; function assets are `asset.<hash>` folders inside it. */
  assemblyDir: string;
}

/**
 * Bundles the functions and synthesizes the stack with `target=local` (no DAX, no WAF) into
 * .local/cdk.out. The local runtime hosts exactly what this produces, asset bundles included.
 */
export async function synthLocal(
  options: { context?: Record<string, unknown>; outdir?: string; build?: boolean } = {},
): Promise<LocalAssembly> {
  if (options.build ?? true) await buildFunctions();
  const outdir = options.outdir ?? path.join(ROOT, '.local', 'cdk.out');
  const { app } = createApp({
    outdir,
    context: { target: 'local', 'aws:cdk:enable-asset-metadata': true, ...options.context },
  });
  const assembly = app.synth();
  const stack = assembly.getStackByName(STACK_NAME);
  return { template: stack.template as CfnTemplate, stackName: stack.stackName, assemblyDir: assembly.directory };
}
