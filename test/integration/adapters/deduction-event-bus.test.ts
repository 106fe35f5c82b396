import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeDeductionEvents } from '../../../lambdas/adapters/deduction-event-bus.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { type AwsJsonEndpoint, startAwsJsonEndpoint } from '../../../lib/local/aws-json/endpoint.js';
import { eventBridgeService, LocalEventLog } from '../../../lib/local/aws-json/eventbridge.js';
import { LOCAL_CREDENTIALS } from '../../../lib/local/provision.js';
import { describeStack, findByHint } from '../../../lib/local/stack-description.js';
import { deductionEventsContract } from '../../helpers/contracts/deductions.js';
import { deduction } from '../../helpers/deductions.js';
import { synthesizedTemplate } from '../../helpers/tables.js';

/** EventBridgeDeductionEvents against the local runtime's EventBridge, serving the template's own bus. */
let endpoint: AwsJsonEndpoint;
let client: EventBridgeClient;
let busName: string;
const log = new LocalEventLog();
beforeAll(async () => {
  const { template, stackName } = await synthesizedTemplate();
  const stack = describeStack(template, { stackName });
  busName = findByHint(stack.eventBuses, 'DeductionHoldsBus').name;
  endpoint = await startAwsJsonEndpoint([eventBridgeService(stack.eventBuses, log)]);
  client = new EventBridgeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
});
afterAll(() => endpoint?.close());

let seen = 0;
deductionEventsContract('EventBridgeDeductionEvents', async () => ({
  events: new EventBridgeDeductionEvents(client, busName, systemClock),
  received: async () => {
    const all = log.list({ limit: 10_000 });
    const fresh = all.slice(0, all.length - seen);
    seen = all.length;
    return fresh.map((e) => ({ detailType: e['detail-type'], detail: e.detail as Record<string, unknown> }));
  },
}));

describe('EventBridgeDeductionEvents on the local EventBridge', () => {
  it('puts events on the bus with source crest.deductions, dated when the transition happened', async () => {
    const events = new EventBridgeDeductionEvents(client, busName, systemClock);
    const d = deduction({ sku: 'SKU-1', createdAt: Date.UTC(2030, 0, 1) });

    await events.publish([
      {
        deduction: { ...d, status: 'EXPIRED', holdUntil: Date.UTC(2030, 0, 1, 0, 10), completedAt: Date.UTC(2030, 0, 1, 0, 10, 2) },
        previousStatus: 'HELD',
      },
    ]);

    const [event] = log.list({ limit: 1 });
    seen += 1;
    expect(event).toMatchObject({
      source: 'crest.deductions',
      'detail-type': 'Deduction EXPIRED',
      'event-bus-name': busName,
      time: '2030-01-01T00:10:02Z',
      detail: {
        id: d.id,
        status: 'EXPIRED',
        previousStatus: 'HELD',
        expiresAt: '2030-01-01T00:10:00.000Z',
        occurredAt: '2030-01-01T00:10:02.000Z',
      },
    });
  });

  it('names every transition it could not publish (a bus that does not exist), so its stream records are retried', async () => {
    const events = new EventBridgeDeductionEvents(client, `${busName}-missing`, systemClock);
    const ds = [deduction(), deduction()].map((d) => ({
      deduction: { ...d, status: 'CONFIRMED' as const, confirmedAt: 1 },
      previousStatus: 'HELD' as const,
    }));

    expect(await events.publish(ds)).toEqual([0, 1]);
  });
});
