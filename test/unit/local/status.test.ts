import { describe, expect, it } from 'vitest';
import { DrainProgress, type LocalStatus } from '../../../lib/local/status.js';

const status = (visible: number, inFlight: number, running: number, settled: number): LocalStatus => ({
  queues: [
    {
      queue: 't1-StockDeductionsQueue77833BDB',
      function: 'ConsumerFn',
      visible,
      inFlightMessages: inFlight,
      concurrencyCap: 5,
      invocationsInFlight: running,
      maxInvocationsInFlight: running,
      invocations: 0,
      settled,
    },
  ],
  streams: [],
  functions: [],
});

describe('DrainProgress', () => {
  it('says how much is left, how fast it settles and how long it will take, then sums the drain up', () => {
    const progress = new DrainProgress();
    const t = 1_700_000_000_000;

    const idle = progress.lines(status(0, 0, 0, 0), t);
    const first = progress.lines(status(900, 100, 5, 0), t + 2_000);
    const second = progress.lines(status(500, 100, 5, 400), t + 4_000);
    const done = progress.lines(status(0, 0, 0, 1_000), t + 6_000);

    expect(idle).toEqual([]);
    expect(first).toEqual(['queue t1-StockDeductionsQueue: 1,000 left (900 waiting, 100 in flight); 5/5 consumers; 0 settled/s']);
    expect(second).toEqual([
      'queue t1-StockDeductionsQueue: 600 left (500 waiting, 100 in flight); 5/5 consumers; 200 settled/s, about 3 s to go',
    ]);
    expect(done).toEqual(['queue t1-StockDeductionsQueue drained: 1,000 settled in 4.0 s (250/s)']);
  });
});
