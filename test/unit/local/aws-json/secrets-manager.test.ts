import { describe, expect, it } from 'vitest';
import { secretsManagerService } from '../../../../lib/local/aws-json/secrets-manager.js';
import type { SecretDescription } from '../../../../lib/local/stack-description.js';

const generate = (overrides: Partial<NonNullable<SecretDescription['generate']>> = {}): NonNullable<SecretDescription['generate']> => ({
  length: 32,
  excludeCharacters: '',
  excludePunctuation: false,
  excludeNumbers: false,
  excludeUppercase: false,
  excludeLowercase: false,
  includeSpace: false,
  ...overrides,
});
const secret = (name: string, rest: Partial<SecretDescription>): SecretDescription => ({
  logicalId: name,
  name,
  arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`,
  ...rest,
});

describe('secretsManagerService', () => {
  it('serves each secret by ARN or name, generated once per run by its rules', async () => {
    const service = secretsManagerService([
      secret('Digits', { generate: generate({ length: 40, excludeLowercase: true, excludeUppercase: true, excludePunctuation: true }) }),
      secret('Templated', {
        generate: generate({ secretStringTemplate: '{"user":"crest"}', generateStringKey: 'password', excludeCharacters: '"\\' }),
      }),
      secret('Literal', { secretString: 'plain value' }),
    ]);
    const value = async (id: string) =>
      ((await service.handle('GetSecretValue', { SecretId: id })) as { SecretString: string }).SecretString;

    const digits = await value('arn:aws:secretsmanager:us-east-1:000000000000:secret:Digits');
    const templated = JSON.parse(await value('Templated'));

    expect(digits).toMatch(/^[0-9]{40}$/);
    expect(await value('Digits')).toBe(digits);
    expect(templated).toEqual({ user: 'crest', password: expect.stringMatching(/^[^"\\]{32}$/) });
    expect(await value('Literal')).toBe('plain value');
    const anotherRun = secretsManagerService([secret('Digits', { generate: generate() })]);
    expect(await value('Digits')).not.toBe(
      ((await anotherRun.handle('GetSecretValue', { SecretId: 'Digits' })) as { SecretString: string }).SecretString,
    );
  });

  it('answers an unknown secret and an unserved operation with the errors the SDK expects', async () => {
    const service = secretsManagerService([]);

    await expect(service.handle('GetSecretValue', { SecretId: 'nope' })).rejects.toMatchObject({
      type: 'ResourceNotFoundException',
      status: 400,
    });
    await expect(service.handle('PutSecretValue', {})).rejects.toMatchObject({ type: 'UnknownOperationException' });
  });
});
