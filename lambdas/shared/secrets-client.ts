import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsRegion } from './clients.js';
import { intEnv } from './env.js';

let secrets: SecretsManagerClient | undefined;

/**
 * Secrets Manager client, in a module of its own so that only functions that read a secret bundle
 * it. Read once per container (at cold start); the local runtime serves it from a small emulator
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
export function secretsManagerClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient({
    region: awsRegion,
    maxAttempts: 3,
    requestHandler: {
      requestTimeout: intEnv('SDK_REQUEST_TIMEOUT_MS', 1000),
      connectionTimeout: intEnv('SDK_CONNECTION_TIMEOUT_MS', 500),
    },
  });
  return secrets;
}
