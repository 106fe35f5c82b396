import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { awsRegion } from './clients.js';
import { intEnv } from './env.js';

let eventBridge: EventBridgeClient | undefined;

/**
 * EventBridge client, in a module of its own so that only the function that publishes events
 * bundles it. The local runtime serves PutEvents from its AWS-JSON endpoint
 * (AWS_ENDPOINT_URL_EVENTBRIDGE).
 */
export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({
    region: awsRegion,
    maxAttempts: 3,
    requestHandler: {
      requestTimeout: intEnv('SDK_REQUEST_TIMEOUT_MS', 1000),
      connectionTimeout: intEnv('SDK_CONNECTION_TIMEOUT_MS', 500),
      httpAgent: { maxSockets: intEnv('SDK_MAX_SOCKETS', 50) },
    },
  });
  return eventBridge;
}
