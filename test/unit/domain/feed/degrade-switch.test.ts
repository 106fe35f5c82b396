import { describe, expect, it } from 'vitest';
import { DegradeSwitch } from '../../../../lambdas/domain/feed/degrade-switch.js';
import { ManualClock } from '../../../helpers/clock.js';
import { MemoryFeedStore } from '../../../helpers/feeds.js';

describe('DegradeSwitch', () => {
  it('reads the switch at most once per TTL per feed, and sees its own flip at once', async () => {
    const store = new MemoryFeedStore();
    const clock = new ManualClock();
    const reads: string[] = [];
    const counted = {
      isDegraded: async (id: string) => {
        reads.push(id);
        return store.isDegraded(id);
      },
      setDegraded: store.setDegraded.bind(store),
    };
    const degrade = new DegradeSwitch(counted, clock, 5_000);
    const other = new DegradeSwitch(store, clock, 5_000); // another container

    expect(await degrade.isOn('picks')).toBe(false);
    await other.set('picks', true);
    expect(await degrade.isOn('picks')).toBe(false); // cached up to 5 s
    clock.advance(5_000);
    expect(await degrade.isOn('picks')).toBe(true);
    await degrade.set('picks', false);
    expect(await degrade.isOn('picks')).toBe(false);

    expect(reads).toEqual(['picks', 'picks', 'picks']);
  });
});
