import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { FUNCTIONS, type FunctionName, functionBundleDir, functionEntry, functionMetafile, ROOT } from './functions.js';

export interface BundleReport {
  name: FunctionName;
  bytes: number;
}

/**
 * Bundles every function with esbuild: ESM, minified, linked source maps, AWS SDK included (the
 * version we test is the version we ship). `mainFields: module,main` picks the SDK's ESM builds,
 * which tree-shake far better (~335 KB vs ~536 KB for a document client).
 * The output in dist/functions/<name>/ is the CDK asset, and the local runtime loads the copy
 * of it that lands in the synthesized cloud assembly.
 */
export async function buildFunctions(names: readonly FunctionName[] = FUNCTIONS): Promise<BundleReport[]> {
  return Promise.all(names.map(buildFunction));
}

async function buildFunction(name: FunctionName): Promise<BundleReport> {
  const outdir = functionBundleDir(name);
  await mkdir(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [functionEntry(name)],
    outfile: path.join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    // Sources are embedded: the map must still resolve after CDK copies the asset elsewhere.
    sourcesContent: true,
    mainFields: ['module', 'main'],
    metafile: true,
    legalComments: 'none',
    // Functions get credentials from the environment only: see lib/build/lambda-credentials.ts.
    alias: {
      '@aws-sdk/credential-provider-node': path.join(ROOT, 'lib', 'build', 'lambda-credentials.ts'),
      '@aws-sdk/credential-providers': path.join(ROOT, 'lib', 'build', 'lambda-credentials.ts'),
    },
    logLevel: 'error',
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __crestCreateRequire } from 'node:module'; const require = __crestCreateRequire(import.meta.url);",
    },
  });
  await mkdir(path.dirname(functionMetafile(name)), { recursive: true });
  await writeFile(functionMetafile(name), JSON.stringify(result.metafile));
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  return { name, bytes: output?.[1].bytes ?? 0 };
}
