import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsHealthProbes } from '../../../lambdas/adapters/aws-health-probes.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let probes: AwsHealthProbes;
const signal = () => AbortSignal.timeout(5_000);
beforeAll(async () => {
  resources = await provisionResources('Catalog', 'StockDeductionsQueue', 'StaticCopies');
  const base = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  probes = new AwsHealthProbes({
    dynamo: resources.doc,
    // As the functions build them (lambdas/shared/clients.ts, s3-client.ts).
    sqs: new SQSClient({ ...base, endpoint: resources.endpoints.sqs, useQueueUrlAsEndpoint: false }),
    s3: new S3Client({ ...base, endpoint: resources.endpoints.s3, forcePathStyle: true }),
  });
});

describe('AwsHealthProbes against DynamoDB Local and fauxqs', () => {
  it('finds a table that exists and refuses one that does not', async () => {
    await expect(probes.tableAnswers(resources.table('Catalog'), signal())).resolves.toBeUndefined();
    await expect(probes.tableAnswers('no-such-table', signal())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('reads a queue’s depth: waiting, in flight and delayed', async () => {
    const url = resources.queueUrl('StockDeductionsQueue');
    const sqs = resources.clients.sqs;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));

    expect(await probes.queueDepth(url, signal())).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
  });

  it('finds a bucket that exists and refuses one that does not', async () => {
    await expect(probes.bucketAnswers(resources.bucket('StaticCopies'), signal())).resolves.toBeUndefined();
    await expect(probes.bucketAnswers('no-such-bucket-crest', signal())).rejects.toThrow();
  });
});
