import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Synthesizes one variant into its own cloud assembly and returns the template's path. */
function templateFile(name: string, context: Record<string, unknown>): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), `crest-lint-${name}-`));
  const { app, stack } = createApp({ context, outdir });
  app.synth();
  return path.join(outdir, stack.templateFile);
}

describe('cfn-lint', () => {
  it('finds no error or warning in the dax=true, dax=false and target=localstack templates', async () => {
    const templates = [
      templateFile('dax', { dax: true }),
      templateFile('nodax', { dax: false }),
      templateFile('localstack', { target: 'localstack' }),
    ];
    // .cfnlintrc.yaml lists the ignored rules; cfn-lint exits non-zero on any error or warning.
    const result = await run('cfn-lint', ['--config-file', '.cfnlintrc.yaml', '--format', 'parseable', '--', ...templates], {
      cwd: ROOT,
    }).then(
      ({ stdout }) => ({ code: 0, findings: stdout.trim() }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code,
        findings: `${error.stdout ?? ''}${error.stderr ?? ''}`.trim(),
      }),
    );

    expect(result).toEqual({ code: 0, findings: '' });
  }, 120_000);

  it('reports a planted finding (so a clean run above means something)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crest-lint-planted-'));
    const planted = path.join(dir, 'planted.json');
    writeFileSync(planted, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } } }));
    const failure = await run('cfn-lint', ['--config-file', '.cfnlintrc.yaml', '--format', 'parseable', '--', planted], { cwd: ROOT }).then(
      () => undefined,
      (error: { code?: number; stdout?: string }) => error,
    );

    expect(failure?.code).not.toBe(0);
    expect(failure?.stdout).toMatch(/:E\d{4}:/);
  }, 60_000);
});
