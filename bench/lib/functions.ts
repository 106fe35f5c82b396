import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildFunctions } from '../../lib/build/bundle.js';
import { FUNCTIONS, type FunctionName, functionBundleDir, functionMetafile } from '../../lib/build/functions.js';
import { percentile, round } from './report.js';

export interface FunctionFootprint {
  name: FunctionName;
  bundleKB: number;
  initMsP50: number;
}

/**
 * Bundle size (minified .mjs from the esbuild metafile; source maps excluded) and module init
 * time (import of the bundle in a fresh Node process, median of `runs`).
 */
export async function functionFootprints(env: Record<string, string>, runs = 5): Promise<FunctionFootprint[]> {
  await buildFunctions();
  // Asynchronously: an import may call back into this process (the local Secrets Manager).
  const run = promisify(execFile);
  const out: FunctionFootprint[] = [];
  for (const name of FUNCTIONS) {
    const meta = JSON.parse(readFileSync(functionMetafile(name), 'utf8')) as { outputs: Record<string, { bytes: number }> };
    const bytes = Object.entries(meta.outputs).find(([file]) => file.endsWith('.mjs'))?.[1].bytes ?? 0;
    const file = path.join(functionBundleDir(name), 'index.mjs');
    const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
      });
      samples.push(Number(stdout.trim()));
    }
    samples.sort((a, b) => a - b);
    out.push({ name, bundleKB: round(bytes / 1024, 0), initMsP50: round(percentile(samples, 50)) });
  }
  return out;
}
