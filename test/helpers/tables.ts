import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type LocalClients, localClients, provision } from '../../lib/local/provision.js';
import { synthLocal } from '../../lib/local/synth.js';
import { type CfnResource, type CfnTemplate, LocalTemplate } from '../../lib/local/template.js';
import { localDocumentClient } from './dynamo.js';

const PROVISIONED_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::S3::Bucket']);

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
 * Creates just the tables, queues and buckets whose logical IDs contain one of `hints` (and the
 * ones they reference, e.g. a queue's dead-letter queue), exactly as the synthesized template
 * declares them, under a name prefix of their own, on the run's DynamoDB Local and fauxqs. No
 * functions, event sources or API: an adapter test gets real tables in a second or two.
 */
export async function provisionResources(...hints: string[]): Promise<TestResources> {
  const template = await synthesizedTemplate();
  const wanted = withReferences(
    template,
    Object.keys(template.Resources).filter(
      (id) => hints.some((h) => id.includes(h)) && PROVISIONED_TYPES.has(resourceOf(template, id).Type),
    ),
  );
  count += 1;
  const endpoints = { dynamodb: inject('dynamoEndpoint'), sqs: inject('messagingEndpoint'), s3: inject('messagingEndpoint') };
  const local = new LocalTemplate(
    { Resources: Object.fromEntries(wanted.map((id) => [id, resourceOf(template, id)])) },
    endpoints,
    `t${process.pid}x${count}${Date.now().toString(36)}-`,
  );
  const clients = localClients(local);
  await provision(local, clients);
  const find = (type: string, hint: string) => {
    const found = local.ofType(type).find(([id]) => id.includes(hint));
    if (!found) throw new Error(`No ${type} matching ${hint} was provisioned`);
    return found[0];
  };
  return {
    table: (hint) => local.physicalName(find('AWS::DynamoDB::Table', hint)),
    queueUrl: (hint) => local.queueUrl(find('AWS::SQS::Queue', hint)),
    bucket: (hint) => local.physicalName(find('AWS::S3::Bucket', hint)),
    clients,
    doc: localDocumentClient(),
    endpoints,
  };
}

function resourceOf(template: CfnTemplate, id: string): CfnResource {
  const r = template.Resources[id];
  if (!r) throw new Error(`Template has no resource ${id}`);
  return r;
}

/** `ids` and every provisioned resource their properties reference (Ref / Fn::GetAtt), transitively. */
function withReferences(template: CfnTemplate, ids: string[]): string[] {
  const all = new Set<string>();
  const visit = (id: string) => {
    if (all.has(id)) return;
    all.add(id);
    for (const ref of references(resourceOf(template, id).Properties)) {
      if (template.Resources[ref] && PROVISIONED_TYPES.has(resourceOf(template, ref).Type)) visit(ref);
    }
  };
  for (const id of ids) visit(id);
  return [...all];
}

function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj.Ref === 'string') return [obj.Ref];
  const getAtt = obj['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(obj).flatMap(references);
}

/**
 * The template synthesized once per run (target=local, bundles from the global setup's build) and
 * shared by every test file through a file in the run's directory; the first file to need it
 * synthesizes while the others wait for the file.
 */
async function synthesizedTemplate(): Promise<CfnTemplate> {
  const dir = inject('synthDir');
  const file = path.join(dir, 'template.json');
  const lock = path.join(dir, 'synthesizing');
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      const { template } = await synthLocal({ build: false, outdir: path.join(dir, 'cdk.out') });
      writeFileSync(`${file}.tmp`, JSON.stringify(template));
      renameSync(`${file}.tmp`, file);
      return template;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
