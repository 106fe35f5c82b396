import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DependencyProbes, QueueDepth, StreamHeartbeats } from '../domain/health/ports.js';
import { DynamoStreamHeartbeats } from './dynamo-heartbeats.js';

/** A key no Crest item uses: reading it proves the table answers without reading any data. */
const PROBE_KEY = { pk: 'HEALTH', sk: 'PROBE' };

/** The deep health check's probes: one read per dependency, nothing written. */
export class AwsHealthProbes implements DependencyProbes {
  constructor(private readonly clients: { dynamo: DynamoDBDocumentClient; sqs: SQSClient; s3: S3Client }) {}

  async tableAnswers(table: string, signal: AbortSignal): Promise<void> {
    await this.clients.dynamo.send(new GetCommand({ TableName: table, Key: PROBE_KEY }), { abortSignal: signal });
  }

  async queueDepth(queueUrl: string, signal: AbortSignal): Promise<QueueDepth> {
    const out = await this.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
      { abortSignal: signal },
    );
    const count = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  async bucketAnswers(bucket: string, signal: AbortSignal): Promise<void> {
    await this.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
  }

  heartbeats(table: string): StreamHeartbeats {
    return new DynamoStreamHeartbeats(this.clients.dynamo, table);
  }
}
