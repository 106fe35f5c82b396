import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { translateConfig } from '../../lambdas/shared/clients.js';

/** A document client for the run's DynamoDB Local (or `endpoint`, e.g. a proxy in front of it). */
export function localDocumentClient(endpoint = inject('dynamoEndpoint'), config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
  });
  return DynamoDBDocumentClient.from(client, translateConfig);
}
