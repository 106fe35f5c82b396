import type { TestProject } from 'vitest/node';
import { buildFunctions } from '../../lib/build/bundle.js';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Once per `npm test`: bundle every function and start one DynamoDB Local on a random port. */
export default async function setup(project: TestProject) {
  await buildFunctions();
  const ddb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamoEndpoint', ddb.endpoint);
  return async () => {
    await ddb.stop();
  };
}
