import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { BENCH_FUNCTIONS, FUNCTIONS, type FunctionName, functionBundleDir, functionEntry, functionMetafile, ROOT } from './functions.js';

const LAMBDA_CREDENTIALS = path.join(ROOT, 'lib', 'build', 'lambda-credentials.ts');
const LRU_CACHE = path.join(ROOT, 'lib', 'build', 'lru-cache.ts');

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
export async function buildFunctions(names: readonly FunctionName[] = [...FUNCTIONS, ...BENCH_FUNCTIONS]): Promise<BundleReport[]> {
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
    // The SDK's endpoint cache gets a small LRU of the same behaviour: see lib/build/lru-cache.ts.
    alias: {
      '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS,
      '@aws-sdk/credential-providers': LAMBDA_CREDENTIALS,
      'mnemonist/lru-cache': LRU_CACHE,
    },
    plugins: [treeShakeableSdkSchemas],
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

/**
 * The AWS SDK's generated schema modules (`dist-es/schemas/schemas_0.js` of each `@aws-sdk/client-…` package) declare
 * every operation of the service, each with trait objects under computed keys (`{ [_h]: [...] }`,
 * `_h` a string constant). A computed key may run code (toString), so esbuild must keep every such
 * declaration, used or not: all of S3's ~100 operations ride along with the one PutObject a
 * function sends (~60 KB). Spelling those keys as the string literals they are changes nothing at
 * run time and lets esbuild drop the unused operations.
 */
const treeShakeableSdkSchemas: esbuild.Plugin = {
  name: 'tree-shakeable-sdk-schemas',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const constants = new Map<string, string>();
      for (const [, name, value] of source.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm))
        constants.set(name as string, value as string);
      const contents = source.replace(/\[(_\w+)\]:/g, (whole, name: string) => {
        const literal = constants.get(name);
        return literal === undefined ? whole : `${literal}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};
