import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Clock } from '../domain/clock.js';
import { runsOf } from '../domain/deductions/chunks.js';
import { DEDUCTION_EVENT_SOURCE, detailTypeOf, eventDetail, occurredAt } from '../domain/deductions/events.js';
import type { DeductionEvents, DeductionTransition } from '../domain/deductions/ports.js';

/** PutEvents takes at most 10 entries a call (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
const ENTRIES_PER_CALL = 10;
/** Rounds of re-sending the entries PutEvents reports failed (throttled, internal errors). */
const ROUNDS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Deduction events on an EventBridge bus: source `crest.deductions`, detail-type `Deduction
 * <STATUS>`, the detail of lambdas/domain/deductions/events.ts, and the event's time set to when
 * the transition happened.
 */
export class EventBridgeDeductionEvents implements DeductionEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly clock: Clock,
  ) {}

  async publish(transitions: readonly DeductionTransition[]): Promise<number[]> {
    const now = this.clock.now();
    const entries: PutEventsRequestEntry[] = transitions.map((t) => ({
      EventBusName: this.busName,
      Source: DEDUCTION_EVENT_SOURCE,
      DetailType: detailTypeOf(t.deduction.status),
      Detail: JSON.stringify(eventDetail(t, now)),
      Time: new Date(occurredAt(t.deduction, now)),
    }));
    const failed: number[] = [];
    await Promise.all(
      runsOf(
        entries.map((_, i) => i),
        ENTRIES_PER_CALL,
      ).map(async (run) => failed.push(...(await this.put(run, entries)))),
    );
    return failed.sort((a, b) => a - b);
  }

  /** Puts the entries at `indexes`, re-sending those reported failed; returns the ones that never went. */
  private async put(indexes: number[], entries: PutEventsRequestEntry[]): Promise<number[]> {
    let pending = indexes;
    for (let round = 1; round <= ROUNDS && pending.length > 0; round++) {
      if (round > 1) await sleep(50 * 2 ** round);
      try {
        const out = await this.client.send(new PutEventsCommand({ Entries: pending.map((i) => entries[i] as PutEventsRequestEntry) }));
        // Results come back in request order; a failed one carries an ErrorCode.
        pending = pending.filter((_, j) => out.Entries?.[j]?.ErrorCode !== undefined || out.Entries?.[j] === undefined);
      } catch {
        // Whether any went or not, they are tried again: events are delivered at least once.
      }
    }
    return pending;
  }
}
