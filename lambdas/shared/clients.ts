/**
 * The one place AWS SDK clients are built. Configuration is read once; clients are created
 * lazily on first use and then reused for every invocation of the warm container.
 *
 * Endpoints: the SDK honours `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` by itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), which is how the
 * local runtime and LocalStack redirect every client without code changes.
 *
 * The DAX client lives in ./dax-client.ts so that functions which never read through DAX do not
 * bundle it (it adds ~450 KB).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { intEnv, optionalEnv } from './env.js';

const region = optionalEnv('AWS_REGION') ?? optionalEnv('AWS_DEFAULT_REGION') ?? 'us-east-1';
const requestTimeoutMs = intEnv('SDK_REQUEST_TIMEOUT_MS', 1000);
const connectionTimeoutMs = intEnv('SDK_CONNECTION_TIMEOUT_MS', 500);
// One Lambda container serves one request at a time, so the SDK's default pool of 50 sockets is
// plenty; the local runtime, which hosts every concurrent invocation in one process, raises it.
const maxSockets = intEnv('SDK_MAX_SOCKETS', 50);

/** Options shared by every DynamoDB-compatible client. */
export const dynamoClientConfig: DynamoDBClientConfig = {
  region,
  maxAttempts: 3,
  // Keep-alive is the SDK default; a short request timeout stops a slow partition from pinning
  // a Lambda for its whole timeout.
  requestHandler: {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: connectionTimeoutMs,
    httpAgent: { maxSockets, maxFreeSockets: maxSockets },
  },
};

/** Marshalling options used by every document client (plain or DAX) in Crest. */
export const translateConfig = {
  marshallOptions: { removeUndefinedValues: true },
} as const;

let dynamoDocument: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;

/** Document client talking to DynamoDB directly (writes, transactions, strongly consistent reads). */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamoDocument ??= DynamoDBDocumentClient.from(new DynamoDBClient(dynamoClientConfig), translateConfig);
  return dynamoDocument;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({
    region,
    maxAttempts: 3,
    requestHandler: {
      requestTimeout: requestTimeoutMs,
      connectionTimeout: connectionTimeoutMs,
      httpAgent: { maxSockets, maxFreeSockets: maxSockets },
    },
    // Send to the resolved endpoint (regional in AWS, AWS_ENDPOINT_URL_SQS locally), not to the
    // queue URL's host: emulators issue URLs like sqs.us-east-1.localhost that do not resolve.
    useQueueUrlAsEndpoint: false,
  });
  return sqs;
}

export { region as awsRegion };
