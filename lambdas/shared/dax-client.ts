/**
 * Read-path document client: DAX when `DAX_ENDPOINT` is set (AWS deployments with `dax=true`),
 * plain DynamoDB otherwise (LocalStack, the local runtime, tests). Both expose the
 * DynamoDBDocument API, so adapters do not know which one they hold.
 */
import { DaxDocument } from '@amazon-dax-sdk/lib-dax';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsRegion, dynamoDocumentClient } from './clients.js';
import { intEnv, optionalEnv } from './env.js';

const daxEndpoint = optionalEnv('DAX_ENDPOINT');
const daxRequestTimeoutMs = intEnv('DAX_REQUEST_TIMEOUT_MS', 500);

let reader: DynamoDBDocumentClient | undefined;

export function cachedReadClient(): DynamoDBDocumentClient {
  reader ??= daxEndpoint
    ? (new DaxDocument({
        endpoint: daxEndpoint,
        region: awsRegion,
        requestTimeout: daxRequestTimeoutMs,
      }) as unknown as DynamoDBDocumentClient)
    : dynamoDocumentClient();
  return reader;
}

export const readsThroughDax = daxEndpoint !== undefined;
