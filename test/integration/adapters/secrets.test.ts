import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecretString } from '../../../lambdas/adapters/secrets.js';
import { type AwsJsonEndpoint, startAwsJsonEndpoint } from '../../../lib/local/aws-json/endpoint.js';
import { secretsManagerService } from '../../../lib/local/aws-json/secrets-manager.js';
import { LOCAL_CREDENTIALS } from '../../../lib/local/provision.js';
import { describeStack, findByHint } from '../../../lib/local/stack-description.js';
import { synthesizedTemplate } from '../../helpers/tables.js';

/** readSecretString against the local runtime's Secrets Manager, serving the template's own secret. */
describe('readSecretString', () => {
  let endpoint: AwsJsonEndpoint;
  let client: SecretsManagerClient;
  let arn: string;
  beforeAll(async () => {
    const { template, stackName } = await synthesizedTemplate();
    const stack = describeStack(template, { stackName });
    arn = findByHint(stack.secrets, 'IdSecret').arn;
    endpoint = await startAwsJsonEndpoint([secretsManagerService(stack.secrets)]);
    client = new SecretsManagerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => endpoint?.close());

  it('reads the deduction id secret: generated per run as the template says (64 characters, no punctuation)', async () => {
    const value = await readSecretString(client, arn);

    expect(value).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(await readSecretString(client, arn)).toBe(value);
  });

  it('fails loudly for a secret that does not exist', async () => {
    await expect(readSecretString(client, `${arn}-missing`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
