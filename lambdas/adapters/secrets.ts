import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The current value of a string secret (`GetSecretValue`), e.g. the key deduction ids are derived
 * with. Called once at cold start: a function that cannot read its secret fails to initialise
 * rather than serving with a wrong one.
 */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (typeof out.SecretString !== 'string' || out.SecretString.length === 0) {
    throw new Error(`Secret ${secretId} has no string value`);
  }
  return out.SecretString;
}
