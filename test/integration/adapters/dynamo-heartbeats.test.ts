import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoStreamHeartbeats } from '../../../lambdas/adapters/dynamo-heartbeats.js';
import { filterRecords } from '../../../lib/local/event-sources/event-filter.js';
import { describeStack } from '../../../lib/local/stack-description.js';
import { streamHeartbeatsContract } from '../../helpers/contracts/health.js';
import { streamRecords } from '../../helpers/streams.js';
import { provisionResources, synthesizedTemplate, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let table: string;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
  table = resources.table('Catalog');
});

streamHeartbeatsContract('DynamoStreamHeartbeats', async () => new DynamoStreamHeartbeats(resources.doc, table));

describe('DynamoStreamHeartbeats in the catalog table', () => {
  it('never wakes the catalog stream processor that writes it (the mapping’s filter drops it)', async () => {
    const stream = `filter-${process.pid}`;
    await new DynamoStreamHeartbeats(resources.doc, table).record({ stream, lastRecordAt: 1, processedAt: 2 });
    const { template, stackName } = await synthesizedTemplate();
    const [mapping] = describeStack(template, { stackName }).streamMappings.filter((m) => m.tableLogicalId.includes('Catalog'));

    const records = (await streamRecords(resources.endpoints.dynamodb, table)).filter((r) =>
      JSON.stringify(r.dynamodb?.Keys).includes(`HEARTBEAT#${stream}`),
    );

    expect(records).toHaveLength(1);
    expect(filterRecords(mapping?.patterns ?? [], records)).toEqual([]);
  });
});
