import { randomInt, randomUUID } from 'node:crypto';
import type { SecretDescription } from '../stack-description.js';
import { AwsJsonError, type AwsJsonService } from './endpoint.js';

/**
 * Secrets Manager's `GetSecretValue` for the template's secrets. A `GenerateSecretString` secret
 * gets a new random value per run (as each deploy of a new secret does), with the template's
 * length and character rules; a `SecretString` secret serves its literal value.
 */
export function secretsManagerService(secrets: readonly SecretDescription[]): AwsJsonService {
  const created = Date.now() / 1000;
  const values = new Map(secrets.map((s) => [s.arn, { secret: s, value: secretValue(s), versionId: randomUUID() }]));
  return {
    targetPrefix: 'secretsmanager',
    async handle(operation, input) {
      if (operation !== 'GetSecretValue')
        throw new AwsJsonError('UnknownOperationException', `Secrets Manager: ${operation} is not served locally`);
      const id = String(input.SecretId ?? '');
      const found = [...values.values()].find((v) => v.secret.arn === id || v.secret.name === id);
      if (!found) throw new AwsJsonError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        ARN: found.secret.arn,
        Name: found.secret.name,
        VersionId: found.versionId,
        SecretString: found.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: created,
      };
    },
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function secretValue(secret: SecretDescription): string {
  const g = secret.generate;
  if (!g) return secret.secretString ?? '';
  const alphabet = [
    g.excludeLowercase ? '' : LOWER,
    g.excludeUppercase ? '' : UPPER,
    g.excludeNumbers ? '' : DIGITS,
    g.excludePunctuation ? '' : PUNCTUATION,
    g.includeSpace ? ' ' : '',
  ]
    .join('')
    .split('')
    .filter((c) => !g.excludeCharacters.includes(c));
  if (alphabet.length === 0) throw new Error(`Secret ${secret.logicalId}: its generation rules exclude every character`);
  const generated = Array.from({ length: g.length }, () => alphabet[randomInt(alphabet.length)]).join('');
  if (g.secretStringTemplate && g.generateStringKey) {
    return JSON.stringify({ ...(JSON.parse(g.secretStringTemplate) as object), [g.generateStringKey]: generated });
  }
  return generated;
}
