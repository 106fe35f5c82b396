import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildFunctions } from '../../lib/build/bundle.js';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { startMessagingEmulator } from '../../lib/local/messaging-emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** fauxqs (SQS and S3) for adapter tests. */
    messagingEndpoint: string;
    /** Where test/helpers/tables.ts keeps the one synthesized template of the run. */
    synthDir: string;
  }
}

/** Once per `npm test`: bundle every function, start one DynamoDB Local and one fauxqs on random ports. */
export default async function setup(project: TestProject) {
  await buildFunctions();
  const [ddb, messaging] = await Promise.all([startDynamoDbLocal({ port: 0 }), startMessagingEmulator({ port: 0 })]);
  const synthDir = mkdtempSync(path.join(os.tmpdir(), 'crest-tables-'));
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('messagingEndpoint', messaging.endpoint);
  project.provide('synthDir', synthDir);
  return async () => {
    await Promise.all([ddb.stop(), messaging.stop()]);
    rmSync(synthDir, { recursive: true, force: true });
  };
}
