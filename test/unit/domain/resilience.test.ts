import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, CircuitOpenError, TimeoutError, withTimeout } from '../../../lambdas/domain/resilience.js';
import { ManualClock } from '../../helpers/clock.js';

const fail = () => Promise.reject(new Error('boom'));
const ok = () => Promise.resolve('ok');

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive failures and then fails fast', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('price', { failureThreshold: 3, openMs: 1000 }, clock);
    const work = vi.fn(fail);

    for (let i = 0; i < 3; i++) await expect(breaker.run(work)).rejects.toThrow('boom');
    await expect(breaker.run(work)).rejects.toBeInstanceOf(CircuitOpenError);

    expect(work).toHaveBeenCalledTimes(3);
    expect(breaker.currentState).toBe('open');
  });

  it('lets one trial through after openMs and closes when it succeeds', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('stock', { failureThreshold: 1, openMs: 1000 }, clock);
    await expect(breaker.run(fail)).rejects.toThrow('boom');

    clock.advance(999);
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    expect(breaker.currentState).toBe('half-open');
    await expect(breaker.run(ok)).resolves.toBe('ok');

    expect(breaker.currentState).toBe('closed');
  });

  it('tells its listener of every change of state, and only of changes', async () => {
    const clock = new ManualClock();
    const states: string[] = [];
    const breaker = new CircuitBreaker('price', { failureThreshold: 2, openMs: 100 }, clock, (state) => states.push(state));
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(100);
    await expect(breaker.run(fail)).rejects.toThrow('boom');
    clock.advance(100);

    await breaker.run(ok);
    await breaker.run(ok);

    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('re-opens immediately when the half-open trial fails', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('info', { failureThreshold: 2, openMs: 500 }, clock);
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(fail)).rejects.toThrow();
    clock.advance(500);

    await expect(breaker.run(fail)).rejects.toThrow('boom');

    expect(breaker.currentState).toBe('open');
  });

  it('allows only one concurrent trial while half-open', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('info', { failureThreshold: 1, openMs: 100 }, clock);
    await expect(breaker.run(fail)).rejects.toThrow();
    clock.advance(100);
    let release: (v: string) => void = () => undefined;
    const trial = breaker.run(() => new Promise<string>((r) => (release = r)));

    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release('done');

    await expect(trial).resolves.toBe('done');
  });

  it('keeps an open circuit open when a call that started before it opened succeeds afterwards', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('price', { failureThreshold: 2, openMs: 1000 }, clock);
    let release: (v: string) => void = () => undefined;
    const slow = breaker.run(() => new Promise<string>((r) => (release = r)));
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(fail)).rejects.toThrow();
    expect(breaker.currentState).toBe('open');

    release('late');

    await expect(slow).resolves.toBe('late');
    expect(breaker.currentState).toBe('open');
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('does not count a late failure against a circuit that has closed again since', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('stock', { failureThreshold: 1, openMs: 100 }, clock);
    let lateFail: (e: Error) => void = () => undefined;
    const slow = breaker.run(() => new Promise<string>((_, reject) => (lateFail = reject)));
    await expect(breaker.run(fail)).rejects.toThrow();
    clock.advance(100);
    await breaker.run(ok);
    expect(breaker.currentState).toBe('closed');

    lateFail(new Error('late'));

    await expect(slow).rejects.toThrow('late');
    expect(breaker.currentState).toBe('closed');
  });

  it('resets the failure count after a success', async () => {
    const breaker = new CircuitBreaker('info', { failureThreshold: 2, openMs: 100 }, new ManualClock());
    await expect(breaker.run(fail)).rejects.toThrow();
    await breaker.run(ok);
    await expect(breaker.run(fail)).rejects.toThrow();

    expect(breaker.currentState).toBe('closed');
  });
});

describe('withTimeout', () => {
  afterEach(() => vi.useRealTimers());

  it('rejects with TimeoutError and aborts the signal when work outlives the timeout', async () => {
    vi.useFakeTimers();
    let aborted = false;
    const pending = withTimeout(50, (signal) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise<never>(() => undefined);
    });
    const assertion = expect(pending).rejects.toBeInstanceOf(TimeoutError);

    await vi.advanceTimersByTimeAsync(50);

    await assertion;
    expect(aborted).toBe(true);
  });

  it('returns the result of work that finishes in time and clears its timer', async () => {
    vi.useFakeTimers();
    const result = await withTimeout(50, async () => 42);

    expect(result).toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });
});
