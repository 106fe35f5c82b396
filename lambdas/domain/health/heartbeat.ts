import type { Clock } from '../clock.js';
import type { StreamHeartbeats } from './ports.js';

/**
 * A stream processor's heartbeat: after each batch it records the age of the batch's newest
 * record (what Lambda's IteratorAge measures in AWS), at most once per `minIntervalMs` per
 * container, so the deep health check can report the stream's lag on AWS and on this machine
 * alike. Recorded whatever the batch's outcome: a processor stuck retrying a batch shows a lag
 * that keeps growing.
 */
export class StreamHeartbeat {
  private lastBeat = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: string,
    private readonly heartbeats: StreamHeartbeats,
    private readonly clock: Clock,
    private readonly minIntervalMs = 1_000,
  ) {}

  /**
   * @param newestRecordAt when the batch's newest record was written (epoch ms).
   * @returns false when recording failed (the heartbeat is telemetry: the batch is not failed for it).
   */
  async beat(newestRecordAt: number): Promise<boolean> {
    const now = this.clock.now();
    if (now - this.lastBeat < this.minIntervalMs) return true;
    this.lastBeat = now;
    try {
      await this.heartbeats.record({ stream: this.stream, lastRecordAt: newestRecordAt, processedAt: now });
      return true;
    } catch {
      return false;
    }
  }

  /** Milliseconds between `newestRecordAt` and now: the lag this batch is handled with. */
  lagOf(newestRecordAt: number): number {
    return Math.max(0, this.clock.now() - newestRecordAt);
  }
}
