import { describe, expect, it } from 'vitest';
import type { StreamHeartbeats } from '../../../lambdas/domain/health/ports.js';

let n = 0;
const newStream = () => `hb-${process.pid}-${Date.now().toString(36)}-${++n}`;

/** What every StreamHeartbeats does. */
export function streamHeartbeatsContract(name: string, make: () => Promise<StreamHeartbeats>) {
  describe(`${name} as StreamHeartbeats`, () => {
    it('reads back the progress recorded, and null for a stream that has recorded none', async () => {
      const heartbeats = await make();
      const stream = newStream();
      await heartbeats.record({ stream, lastRecordAt: 1_000, processedAt: 1_500 });

      expect(await heartbeats.read(stream)).toEqual({ stream, lastRecordAt: 1_000, processedAt: 1_500 });
      expect(await heartbeats.read(newStream())).toBeNull();
    });

    it('keeps the latest progress whatever order two containers record in', async () => {
      const heartbeats = await make();
      const stream = newStream();
      await heartbeats.record({ stream, lastRecordAt: 2_000, processedAt: 3_000 });
      await heartbeats.record({ stream, lastRecordAt: 1_000, processedAt: 2_500 });

      expect(await heartbeats.read(stream)).toEqual({ stream, lastRecordAt: 2_000, processedAt: 3_000 });
    });
  });
}
