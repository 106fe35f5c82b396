import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildFunctions } from '../../lib/build.js';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { startMessagingLocal } from '../../lib/local/sqs-s3-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** fauxqs (SQS and S3) for adapter tests. */
    messagingEndpoint: string;
    /** Where test/helpers/tables.ts keeps the one synthesized template of the run. */
    synthDir: string;
  }
}

/**
 * Per-source read timeouts of product-read in the runtimes tests boot: Lambda's 300/150/150 ms
 * assume a dedicated container, while here the functions share two cores with the emulators and
 * the test workers, and a timed-out source answers degraded (null), which tests that compare
 * versions would read as going back in time. Set before the workers start, so they inherit them.
 */
const RELAXED_READ_TIMEOUTS_MS = { READ_TIMEOUT_INFO_MS: '3000', READ_TIMEOUT_PRICE_MS: '3000', READ_TIMEOUT_STOCK_MS: '3000' };

/** Once per `npm test`: bundle every function, start one DynamoDB Local and one fauxqs on random ports. */
export default async function setup(project: TestProject) {
  for (const [name, value] of Object.entries(RELAXED_READ_TIMEOUTS_MS)) process.env[name] ??= value;
  await buildFunctions();
  const [ddb, messaging] = await Promise.all([startDynamoDbLocal({ port: 0 }), startMessagingLocal({ port: 0 })]);
  const synthDir = mkdtempSync(path.join(os.tmpdir(), 'crest-tables-'));
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('messagingEndpoint', messaging.endpoint);
  project.provide('synthDir', synthDir);
  return async () => {
    await Promise.all([ddb.stop(), messaging.stop()]);
    rmSync(synthDir, { recursive: true, force: true });
  };
}
