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

/**
 * Runs cfn-lint with the repository's .cfnlintrc.yaml (the ignored rules and their reasons). Its
 * exit code is non-zero on any error or warning.
 */
async function cfnLint(files: string[]): Promise<{ code: number | string | undefined; findings: string }> {
  return run('cfn-lint', ['--config-file', '.cfnlintrc.yaml', '--format', 'parseable', '--', ...files], { cwd: ROOT }).then(
    ({ stdout }) => ({ code: 0, findings: stdout.trim() }),
    (error: { code?: number | string; stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT') throw new Error('cfn-lint is not on PATH: install it with `pip install cfn-lint` (README, Tests)');
      return { code: error.code, findings: `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() };
    },
  );
}

describe('cfn-lint', () => {
  it('finds no error or warning in the dax=true, dax=false and target=localstack templates', async () => {
    const templates = [
      templateFile('dax', { dax: true }),
      templateFile('nodax', { dax: false }),
      templateFile('localstack', { target: 'localstack' }),
    ];

    expect(await cfnLint(templates)).toEqual({ code: 0, findings: '' });
  }, 120_000);

  it('reports a planted finding (so a clean run above means something)', async () => {
    const planted = path.join(mkdtempSync(path.join(os.tmpdir(), 'crest-lint-planted-')), 'planted.json');
    writeFileSync(planted, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } } }));

    const result = await cfnLint([planted]);

    expect(result.code).not.toBe(0);
    expect(result.findings).toMatch(/:E3012:/);
  }, 60_000);
});
