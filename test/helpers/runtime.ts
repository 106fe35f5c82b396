import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../lib/local/runtime.js';

let count = 0;

/**
 * Boots the local runtime against the run's DynamoDB Local, on a random port, with its own
 * name prefix and assembly directory so test files can run in parallel.
 */
export async function bootRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  count += 1;
  return startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    namePrefix: `t${process.pid}x${count}-`,
    outdir: mkdtempSync(path.join(os.tmpdir(), 'crest-local-')),
    build: false,
    ...options,
  });
}
