import { describe, expect, it } from 'vitest';
import { eventBridgeService, LocalEventLog, type RecordedEvent } from '../../../../lib/local/aws-json/eventbridge.js';

const BUS = {
  logicalId: 'DeductionHoldsBus1',
  name: 'p-DeductionHoldsBus1',
  arn: 'arn:aws:events:us-east-1:000000000000:event-bus/p-DeductionHoldsBus1',
};
const entry = (overrides: Record<string, unknown> = {}) => ({
  EventBusName: BUS.name,
  Source: 'crest.deductions',
  DetailType: 'Deduction HELD',
  Detail: JSON.stringify({ id: 'd_1', sku: 'SKU-1' }),
  ...overrides,
});

describe('eventBridgeService', () => {
  it('records each entry in the envelope targets receive and answers an id per entry', async () => {
    const log = new LocalEventLog();
    const service = eventBridgeService([BUS], log);

    const out = (await service.handle('PutEvents', { Entries: [entry({ Time: 1_700_000_000 }), entry({ EventBusName: BUS.arn })] })) as {
      FailedEntryCount: number;
      Entries: Array<{ EventId: string }>;
    };

    const [second, first] = log.list();
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries.map((e) => e.EventId)).toEqual([first?.id, second?.id]);
    expect(first).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Deduction HELD',
      source: 'crest.deductions',
      account: '000000000000',
      time: '2023-11-14T22:13:20Z',
      region: 'us-east-1',
      resources: [],
      detail: { id: 'd_1', sku: 'SKU-1' },
      'event-bus-name': BUS.name,
    });
  });

  it('fails an entry on its own (unknown bus, no source, a detail that is not a JSON object), as PutEvents does', async () => {
    const log = new LocalEventLog();
    const service = eventBridgeService([BUS], log);

    const out = (await service.handle('PutEvents', {
      Entries: [entry({ EventBusName: 'elsewhere' }), entry({ Source: '' }), entry({ Detail: '[1]' }), entry()],
    })) as { FailedEntryCount: number; Entries: Array<{ ErrorCode?: string; EventId?: string }> };

    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ResourceNotFoundException', 'InvalidArgument', 'MalformedDetail', 'ok']);
    expect(log.list()).toHaveLength(1);
  });

  it('refuses more than 10 entries, and operations it does not serve', async () => {
    const service = eventBridgeService([BUS], new LocalEventLog());

    await expect(service.handle('PutEvents', { Entries: Array.from({ length: 11 }, () => entry()) })).rejects.toMatchObject({
      type: 'ValidationException',
    });
    await expect(service.handle('PutRule', {})).rejects.toMatchObject({ type: 'UnknownOperationException' });
  });
});

describe('LocalEventLog', () => {
  const event = (n: number, type: string): RecordedEvent => ({
    version: '0',
    id: `e${n}`,
    'detail-type': type,
    source: type.startsWith('Deduction') ? 'crest.deductions' : 'other',
    account: '000000000000',
    time: '2023-11-14T22:13:20Z',
    region: 'us-east-1',
    resources: [],
    detail: { id: `d_${n}`, sku: 'SKU-1', quantity: 1 },
    'event-bus-name': 'bus',
  });

  it('lists newest first, by detail-type prefix or source, up to a limit, keeping the newest when full', () => {
    const log = new LocalEventLog(undefined, 4);
    for (const [n, type] of [
      [1, 'Deduction HELD'],
      [2, 'Other thing'],
      [3, 'Deduction EXPIRED'],
      [4, 'Deduction HELD'],
      [5, 'Deduction CONFIRMED'],
    ] as const)
      log.record(event(n, type));

    expect(log.list().map((e) => e.id)).toEqual(['e5', 'e4', 'e3', 'e2']);
    expect(log.serve(new URLSearchParams('type=Deduction')).events.map((e) => e.id)).toEqual(['e5', 'e4', 'e3']);
    expect(log.serve(new URLSearchParams('type=Deduction%20HELD')).events.map((e) => e.id)).toEqual(['e4']);
    expect(log.serve(new URLSearchParams('source=other&limit=1')).events.map((e) => e.id)).toEqual(['e2']);
  });

  it('logs a line per event, then one line for the rest of a busy second', () => {
    const lines: string[] = [];
    const log = new LocalEventLog((l) => lines.push(l), 100, 2);

    for (let n = 1; n <= 5; n++) log.record(event(n, 'Deduction HELD'));
    log.close();

    expect(lines).toEqual([
      'event Deduction HELD id=d_1 sku=SKU-1 quantity=1',
      'event Deduction HELD id=d_2 sku=SKU-1 quantity=1',
      '… and 3 more event(s) (GET /_local/events)',
    ]);
  });
});
