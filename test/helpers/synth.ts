import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app.js';

/** Synthesizes the stack with cdk-nag applied; bundles come from the global setup's build. */
export function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'crest-synth-'));
  const { app, stack } = createApp({ context, outdir });
  app.synth();
  return { template: Template.fromStack(stack), annotations: Annotations.fromStack(stack), stack };
}

/** Every unsuppressed cdk-nag finding (errors and warnings) as "rule path" strings. */
export function nagFindings(annotations: Annotations): string[] {
  const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
  return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)].map(
    (m) => `${String(m.entry.data).split(':')[0]} ${m.id}`,
  );
}
