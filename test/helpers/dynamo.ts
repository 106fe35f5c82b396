import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { translateConfig } from '../../lambdas/shared/clients.js';

/** A document client for the run's DynamoDB Local. */
export function localDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return DynamoDBDocumentClient.from(client, translateConfig);
}

let counter = 0;
/** A table name unique to this test file and call (DynamoDB needs ≥ 3 characters). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
