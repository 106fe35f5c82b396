import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type LocalClients, localClients, provision } from '../../lib/local/provision.js';
import { describeStack, findByHint } from '../../lib/local/stack-description.js';
import { synthLocal } from '../../lib/local/synth.js';
import type { CfnTemplate } from '../../lib/local/template.js';
import { localDocumentClient } from './dynamo.js';

export interface TestResources {
  /** Physical name of the table whose logical ID contains `hint` (e.g. 'Catalog'). */
  table(hint: string): string;
  queueUrl(hint: string): string;
  bucket(hint: string): string;
  clients: LocalClients;
  /** A document client on the run's DynamoDB Local. */
  doc: DynamoDBDocumentClient;
  endpoints: { dynamodb: string; sqs: string; s3: string };
}

let count = 0;

/**
 * Creates just the tables, queues and buckets whose logical IDs contain one of `hints` (a queue
 * brings its dead-letter queue), exactly as the synthesized template declares them, under a name
 * prefix of their own, on the run's DynamoDB Local and fauxqs. No functions, event sources or
 * API: an adapter test gets real tables in a second or two.
 */
export async function provisionResources(...hints: string[]): Promise<TestResources> {
  const { template, stackName } = await synthesizedTemplate();
  count += 1;
  const stack = describeStack(template, { stackName, namePrefix: `t${process.pid}x${count}${Date.now().toString(36)}-` });
  const endpoints = { dynamodb: inject('dynamoEndpoint'), sqs: inject('messagingEndpoint'), s3: inject('messagingEndpoint') };
  const clients = localClients(endpoints);
  const created = await provision(stack, clients, { only: (r) => hints.some((h) => r.logicalId.includes(h)) });
  return {
    table: (hint) => findByHint(created.tables, hint).name,
    queueUrl: (hint) => created.queueUrl(findByHint(created.queues, hint).logicalId),
    bucket: (hint) => findByHint(created.buckets, hint).name,
    clients,
    doc: localDocumentClient(),
    endpoints,
  };
}

/**
 * The template synthesized once per run (target=local, bundles from the global setup's build) and
 * shared by every test file through a file in the run's directory; the first file to need it
 * synthesizes while the others wait for the file.
 */
export async function synthesizedTemplate(): Promise<{ template: CfnTemplate; stackName: string }> {
  const dir = inject('synthDir');
  const file = path.join(dir, 'template.json');
  const lock = path.join(dir, 'synthesizing');
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { template: CfnTemplate; stackName: string };
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      const { template, stackName } = await synthLocal({ build: false, outdir: path.join(dir, 'cdk.out') });
      writeFileSync(`${file}.tmp`, JSON.stringify({ template, stackName }));
      renameSync(`${file}.tmp`, file);
      return { template, stackName };
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
