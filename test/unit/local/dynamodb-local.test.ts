import { describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDbLocal } from '../../../lib/local/dynamodb-local.js';

describe('startDynamoDbLocal without Java', () => {
  it('fails with a message that says what to install and the LocalStack alternative', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const failure = await startDynamoDbLocal({ port: 0 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(JavaMissingError);
      expect((failure as Error).message).toMatch(/Java 17/);
      expect((failure as Error).message).toMatch(/docker compose up -d && npm run deploy:local/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
