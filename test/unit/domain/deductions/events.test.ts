import { describe, expect, it } from 'vitest';
import {
  detailTypeOf,
  eventDetail,
  handleRequestChanges,
  type RequestChange,
  transitionOf,
} from '../../../../lambdas/domain/deductions/events.js';
import { ManualClock } from '../../../helpers/clock.js';
import { deduction, MemoryEvents, MemoryTimers } from '../../../helpers/deductions.js';

const T0 = 1_700_000_000_000;
const queued = deduction({ sku: 'SKU-1', createdAt: T0 });
const held = { ...queued, status: 'HELD' as const, decidedAt: T0 + 100, holdUntil: T0 + 30_100 };
const change = (position: string, before: typeof queued | null, after: typeof queued): RequestChange => ({ position, before, after });

describe('transitionOf', () => {
  it('names the status left and the one entered; a new request or an unchanged status is no transition', () => {
    expect(transitionOf(queued, held)).toEqual({ deduction: held, previousStatus: 'QUEUED' });
    expect(transitionOf(null, queued)).toBeNull();
    expect(transitionOf(held, { ...held })).toBeNull();
    expect(transitionOf(null, held)).toEqual({ deduction: held, previousStatus: null });
  });
});

describe('eventDetail', () => {
  it('carries the deduction after the transition, the owner, the deadline and ISO times', () => {
    const detail = eventDetail({ deduction: held, previousStatus: 'QUEUED' }, T0 + 500);

    expect(detailTypeOf('HELD')).toBe('Deduction HELD');
    expect(detail).toEqual({
      id: held.id,
      sku: 'SKU-1',
      quantity: 1,
      owner: held.owner,
      status: 'HELD',
      previousStatus: 'QUEUED',
      expiresAt: new Date(T0 + 30_100).toISOString(),
      createdAt: new Date(T0).toISOString(),
      decidedAt: new Date(T0 + 100).toISOString(),
      occurredAt: new Date(T0 + 100).toISOString(),
    });
  });

  it('carries the correlation id of the request that created the deduction, when its record has one', () => {
    const traced = { ...held, correlationId: 'checkout-7' };

    expect(eventDetail({ deduction: traced, previousStatus: 'QUEUED' }, T0).correlationId).toBe('checkout-7');
    expect(eventDetail({ deduction: held, previousStatus: 'QUEUED' }, T0)).not.toHaveProperty('correlationId');
  });

  it('dates a transition by when it happened, not when it is published', () => {
    const expired = { ...held, status: 'EXPIRED' as const, completedAt: T0 + 31_000 };
    const rejected = { ...queued, status: 'REJECTED' as const, reason: 'SOLD_OUT' as const, decidedAt: T0 + 7, completedAt: T0 + 7 };

    expect(eventDetail({ deduction: expired, previousStatus: 'HELD' }, T0 + 99_000).occurredAt).toBe(new Date(T0 + 31_000).toISOString());
    expect(eventDetail({ deduction: rejected, previousStatus: 'QUEUED' }, T0 + 99_000)).toMatchObject({
      reason: 'SOLD_OUT',
      occurredAt: new Date(T0 + 7).toISOString(),
    });
  });
});

describe('handleRequestChanges', () => {
  it('publishes every transition and starts each new hold’s expiry timer for the time that remains', async () => {
    const events = new MemoryEvents();
    const timers = new MemoryTimers();
    const confirmed = { ...held, status: 'CONFIRMED' as const, confirmedAt: T0 + 900 };

    const outcome = await handleRequestChanges([change('1', null, queued), change('2', queued, held), change('3', held, confirmed)], {
      events,
      timers,
      clock: new ManualClock(T0 + 1_100),
    });

    expect(outcome).toEqual({ failedPositions: [], published: 2, timersScheduled: 1 });
    expect(events.published.map((t) => [t.previousStatus, t.deduction.status])).toEqual([
      ['QUEUED', 'HELD'],
      ['HELD', 'CONFIRMED'],
    ]);
    expect(timers.scheduled).toEqual([{ message: { v: 1, id: held.id, sku: 'SKU-1', expiresAt: T0 + 30_100 }, delayMs: 29_000 }]);
  });

  it('names the records whose timer or event did not go, in stream order, so the stream retries from the first', async () => {
    const events = new MemoryEvents();
    const timers = new MemoryTimers();
    const other = deduction({ sku: 'SKU-2' });
    const otherHeld = { ...other, status: 'HELD' as const, decidedAt: T0, holdUntil: T0 + 30_000 };
    const rejected = { ...queued, id: deduction().id, status: 'REJECTED' as const, reason: 'SOLD_OUT' as const };
    events.failIds.add(rejected.id);
    timers.fail = true;

    const outcome = await handleRequestChanges(
      [change('10', { ...rejected, status: 'QUEUED' }, rejected), change('11', queued, held), change('12', other, otherHeld)],
      { events, timers, clock: new ManualClock(T0) },
    );

    expect(outcome.failedPositions).toEqual(['10', '11', '12']);
    expect(outcome.published).toBe(2);
  });
});
