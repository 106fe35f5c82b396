import type { Clock } from './clock.js';

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`Timed out after ${timeoutMs} ms`);
  }
}

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(readonly source: string) {
    super(`Circuit for ${source} is open`);
  }
}

/**
 * Runs `work` with an AbortSignal that fires after `timeoutMs`; rejects with TimeoutError at
 * that moment even if `work` ignores the signal. The SDK aborts the HTTP request on the signal.
 */
export async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  openMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A per-source circuit breaker: after `failureThreshold` consecutive failures it fails fast for
 * `openMs`, then lets a single trial through (half-open); success closes it, failure re-opens it.
 * Failing fast matters on a hot read path: a slow source must not hold every request for its
 * full timeout while it is known to be down.
 *
 * Each state change starts a new epoch, and a call's outcome only counts in the epoch it started
 * in: a slow call that began while the circuit was closed and succeeds after it opened must not
 * close it (only the half-open trial may), and a late failure must not count against a circuit
 * that has closed again since.
 *
 * Hand-written rather than opossum: ~50 lines, no timers or emitters, and an injected clock.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private epoch = 0;
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  /** @param onStateChange told of every change of state (metrics); must not throw. */
  constructor(
    readonly source: string,
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
    private readonly onStateChange: (state: BreakerState) => void = () => undefined,
  ) {}

  get currentState(): BreakerState {
    if (this.state === 'open' && this.clock.now() - this.openedAt >= this.options.openMs) return 'half-open';
    return this.state;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const state = this.currentState;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) throw new CircuitOpenError(this.source);
    if (state === 'half-open') this.enter('half-open');
    const epoch = this.epoch;
    const trial = state === 'half-open';
    try {
      const result = await work();
      if (epoch === this.epoch) {
        if (trial) this.enter('closed');
        this.failures = 0;
      }
      return result;
    } catch (error) {
      if (epoch === this.epoch) {
        this.failures += 1;
        if (trial || this.failures >= this.options.failureThreshold) this.enter('open');
      }
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private enter(state: BreakerState): void {
    if (state !== this.state) this.onStateChange(state);
    this.state = state;
    this.epoch += 1;
    this.failures = 0;
    this.trialInFlight = state === 'half-open';
    if (state === 'open') this.openedAt = this.clock.now();
  }
}
