import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, provision } from '../../../lib/local/provision.js';
import { describeStack, findByHint, type StackDescription } from '../../../lib/local/stack-description.js';
import { synthLocal } from '../../../lib/local/synth.js';

describe('provision against DynamoDB Local', () => {
  const dynamodb = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  let stack: StackDescription;
  beforeAll(async () => {
    const assembly = await synthLocal({ build: false, outdir: mkdtempSync(path.join(os.tmpdir(), 'crest-provision-')) });
    stack = describeStack(assembly.template, { stackName: assembly.stackName, namePrefix: `p${process.pid}-` });
  });

  it('creates only the resources selected, each as the template declares it, and returns what it created', async () => {
    const catalog = findByHint(stack.tables, 'Catalog');
    const deductions = findByHint(stack.tables, 'Deductions');

    const created = await provision(stack, { dynamodb }, { only: (r) => r.logicalId === catalog.logicalId });
    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: catalog.name }))).Table;
    const other = await dynamodb.send(new DescribeTableCommand({ TableName: deductions.name })).catch((e: unknown) => e);

    expect(created.tables.map((t) => t.name)).toEqual([catalog.name]);
    expect(created.queues).toEqual([]);
    expect(table?.KeySchema).toEqual(catalog.keySchema);
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: catalog.streamViewType });
    expect(created.streamArn(catalog.logicalId)).toBe(table?.LatestStreamArn);
    expect(other).toBeInstanceOf(ResourceNotFoundException);
  });

  it('switches TTL on where the template does', async () => {
    const withTtl = findByHint(stack.tables, 'Deductions');

    await provision(stack, { dynamodb }, { only: (r) => r.logicalId === withTtl.logicalId });
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: withTtl.name }));

    expect(withTtl.timeToLiveAttribute).toBeDefined();
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(withTtl.timeToLiveAttribute);
  });

  it('says which client it lacks instead of half-provisioning', async () => {
    const queue = stack.queues[0];
    if (!queue) throw new Error('the stack has no queue');

    await expect(provision(stack, { dynamodb }, { only: (r) => r.logicalId === queue.logicalId })).rejects.toThrow(/needs a sqs client/);
  });
});
