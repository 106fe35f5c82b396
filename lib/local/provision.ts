import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalTemplate } from './template.js';

export interface LocalClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  s3: S3Client;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localClients(t: LocalTemplate): LocalClients {
  return {
    dynamodb: new DynamoDBClient({ endpoint: t.endpoints.dynamodb, region: 'us-east-1', credentials }),
    sqs: new SQSClient({ endpoint: t.endpoints.sqs, region: 'us-east-1', credentials }),
    s3: new S3Client({ endpoint: t.endpoints.s3, region: 'us-east-1', credentials, forcePathStyle: true }),
  };
}

type Props = Record<string, unknown>;

/**
 * Creates every table, queue and bucket the template declares, with the template's keys,
 * indexes, streams, TTL, visibility timeouts and redrive policies.
 */
export async function provision(t: LocalTemplate, clients: LocalClients): Promise<void> {
  for (const [id, r] of t.ofType('AWS::DynamoDB::Table'))
    await createTable(t, clients.dynamodb, id, (t.resolve(r.Properties) ?? {}) as Props);
  // Dead-letter queues first: a redrive policy must point at an existing queue.
  const queues = t
    .ofType('AWS::SQS::Queue')
    .sort(([, a], [, b]) => Number(Boolean(a.Properties?.RedrivePolicy)) - Number(Boolean(b.Properties?.RedrivePolicy)));
  for (const [id, r] of queues) await createQueue(t, clients.sqs, id, (t.resolve(r.Properties) ?? {}) as Props);
  for (const [id] of t.ofType('AWS::S3::Bucket')) await clients.s3.send(new CreateBucketCommand({ Bucket: t.physicalName(id) }));
}

async function createTable(t: LocalTemplate, client: DynamoDBClient, id: string, p: Props): Promise<void> {
  const input: CreateTableCommandInput = {
    TableName: t.physicalName(id),
    KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: (p.GlobalSecondaryIndexes as Props[] | undefined)?.map((g) => ({
      IndexName: g.IndexName as string,
      KeySchema: g.KeySchema as never,
      Projection: g.Projection as never,
    })),
    StreamSpecification: p.StreamSpecification
      ? { StreamEnabled: true, StreamViewType: (p.StreamSpecification as Props).StreamViewType as never }
      : undefined,
  };
  await client.send(new CreateTableCommand(input));
  const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
  if (ttl?.Enabled) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: ttl }));
  }
}

async function createQueue(t: LocalTemplate, client: SQSClient, id: string, p: Props): Promise<void> {
  const attributes: Record<string, string> = {};
  const copy = [
    'VisibilityTimeout',
    'MessageRetentionPeriod',
    'ReceiveMessageWaitTimeSeconds',
    'DelaySeconds',
    'MaximumMessageSize',
    'FifoQueue',
    'ContentBasedDeduplication',
  ];
  for (const key of copy) if (p[key] !== undefined) attributes[key] = String(p[key]);
  if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
  const out = await client.send(new CreateQueueCommand({ QueueName: t.physicalName(id), Attributes: attributes }));
  if (out.QueueUrl) t.setQueueUrl(id, out.QueueUrl);
}
