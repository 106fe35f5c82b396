import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  type BucketDescription,
  type QueueDescription,
  type ResourceIdentity,
  type StackDescription,
  stackIntrinsics,
  type TableDescription,
} from './stack-description.js';
import { LOCAL_REGION, resolveIntrinsics } from './template.js';

export interface LocalEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
}

export interface LocalClients {
  dynamodb: DynamoDBClient;
  dynamodbStreams: DynamoDBStreamsClient;
  sqs: SQSClient;
  s3: S3Client;
}

/** The emulators accept any credentials; these make the SDK skip its provider chain. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** SDK clients for the local emulators. */
export function localClients(endpoints: LocalEndpoints): LocalClients {
  const base = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  return {
    dynamodb: new DynamoDBClient({ ...base, endpoint: endpoints.dynamodb }),
    dynamodbStreams: new DynamoDBStreamsClient({ ...base, endpoint: endpoints.dynamodb }),
    sqs: new SQSClient({ ...base, endpoint: endpoints.sqs }),
    s3: new S3Client({ ...base, endpoint: endpoints.s3, forcePathStyle: true }),
  };
}

/** What provision() created, with the identifiers the emulators issued. */
export interface ProvisionedResources {
  readonly tables: readonly TableDescription[];
  readonly queues: readonly QueueDescription[];
  readonly buckets: readonly BucketDescription[];
  /** The URL the emulator issued for a queue (fauxqs identifies queues by it). */
  queueUrl(logicalId: string): string;
  /** The table's latest stream ARN, as DynamoDB Local issued it. */
  streamArn(tableLogicalId: string): string;
  /** Resolves template values (e.g. a function's environment) against what was provisioned. */
  resolve(value: unknown): unknown;
}

export interface ProvisionOptions {
  /**
   * Provision only the resources this accepts (default: all). A selected queue brings its
   * dead-letter queue. Integration tests use it to create just the tables they need.
   */
  only?: (resource: ResourceIdentity) => boolean;
}

/**
 * Creates the stack's tables, queues and buckets with the template's keys, indexes, streams, TTL,
 * visibility timeouts and redrive policies, and returns what it created. Only the clients for the
 * kinds of resource selected are needed.
 */
export async function provision(
  stack: StackDescription,
  clients: Partial<LocalClients>,
  options: ProvisionOptions = {},
): Promise<ProvisionedResources> {
  const only = options.only ?? (() => true);
  const tables = stack.tables.filter(only);
  const selectedQueues = new Set(stack.queues.filter(only).map((q) => q.logicalId));
  for (const q of stack.queues) if (selectedQueues.has(q.logicalId) && q.deadLetterQueue) selectedQueues.add(q.deadLetterQueue);
  // Dead-letter queues first: a redrive policy must point at an existing queue.
  const queues = stack.queues
    .filter((q) => selectedQueues.has(q.logicalId))
    .sort((a, b) => Number(Boolean(a.deadLetterQueue)) - Number(Boolean(b.deadLetterQueue)));
  const buckets = stack.buckets.filter(only);

  const streamArns = new Map<string, string>();
  for (const table of tables) {
    const arn = await createTable(need(clients, 'dynamodb'), table);
    if (arn) streamArns.set(table.logicalId, arn);
  }
  const queueUrls = new Map<string, string>();
  for (const queue of queues) {
    const out = await need(clients, 'sqs').send(new CreateQueueCommand({ QueueName: queue.name, Attributes: { ...queue.attributes } }));
    if (!out.QueueUrl) throw new Error(`The emulator issued no URL for queue ${queue.name}`);
    queueUrls.set(queue.logicalId, out.QueueUrl);
  }
  for (const bucket of buckets) await need(clients, 's3').send(new CreateBucketCommand({ Bucket: bucket.name }));

  const issued = {
    queueUrl: (logicalId: string) => lookup(queueUrls, logicalId, 'queue URL'),
    streamArn: (logicalId: string) => lookup(streamArns, logicalId, 'stream ARN'),
  };
  const intrinsics = stackIntrinsics(stack, issued);
  return { tables, queues, buckets, ...issued, resolve: (value) => resolveIntrinsics(value, intrinsics) };
}

async function createTable(client: DynamoDBClient, table: TableDescription): Promise<string | undefined> {
  const out = await client.send(
    new CreateTableCommand({
      TableName: table.name,
      KeySchema: [...table.keySchema],
      AttributeDefinitions: [...table.attributeDefinitions],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: table.globalSecondaryIndexes.length
        ? table.globalSecondaryIndexes.map((g) => ({ IndexName: g.indexName, KeySchema: g.keySchema, Projection: g.projection }))
        : undefined,
      StreamSpecification: table.streamViewType ? { StreamEnabled: true, StreamViewType: table.streamViewType } : undefined,
    }),
  );
  if (table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return out.TableDescription?.LatestStreamArn;
}

function need<K extends keyof LocalClients>(clients: Partial<LocalClients>, kind: K): LocalClients[K] {
  const client = clients[kind];
  if (!client) throw new Error(`provision() needs a ${kind} client for the resources selected`);
  return client;
}

function lookup(map: ReadonlyMap<string, string>, logicalId: string, what: string): string {
  const value = map.get(logicalId);
  if (value === undefined) throw new Error(`No ${what} for ${logicalId}: it was not provisioned`);
  return value;
}
