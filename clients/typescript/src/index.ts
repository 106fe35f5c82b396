/**
 * Crest's TypeScript client: typed calls for every route of the API (openapi-fetch over the types
 * openapi-typescript generates from clients/openapi.json, in ./schema.ts), and the two things a
 * flash-sale client must get right: retrying a buy with the same Idempotency-Key, and polling a
 * deduction until it is decided.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

export type CrestClient = Client<paths>;
export type Deduction = components['schemas']['Deduction'];
export type DeductionAccepted = components['schemas']['DeductionAccepted'];
export type DeductionStatus = Deduction['status'];
export type ApiError = components['schemas']['Error'];

/** An ID token, or a function giving the current one (refresh it there before it expires). */
export type TokenSource = string | (() => string | Promise<string>);

export interface CrestClientOptions {
  /** e.g. `http://localhost:3000` or the stack's ApiUrl (without a trailing slash). */
  baseUrl: string;
  /** Sent as `Authorization` on every call; public routes ignore it. */
  token?: TokenSource;
  /** A fetch of your own (tests record answers through one). */
  fetch?: (request: Request) => Promise<Response>;
}

/** A typed client: `client.GET('/v1/products/{sku}', { params: { path: { sku } } })`. */
export function createCrestClient(options: CrestClientOptions): CrestClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const token = options.token;
  if (token !== undefined) {
    client.use({
      onRequest: async ({ request }) => {
        if (!request.headers.has('authorization')) request.headers.set('authorization', typeof token === 'string' ? token : await token());
        return request;
      },
    });
  }
  return client;
}

// ---- Retries -----------------------------------------------------------------------------------

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** The first wait when the answer has no Retry-After (ms, default 250; doubled each time, at most 8 s). */
  backoffMs?: number;
  /** The longest Retry-After honoured (ms, default 60 s). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /** For tests: how to wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What a call answered: its status, its body (JSON or undefined) and Retry-After in ms, if any. */
interface Attempt<T> {
  status: number;
  data?: T;
  error?: ApiError;
  retryAfterMs?: number;
}

/**
 * Statuses after which the same request may be sent again and change nothing twice: the gateway's
 * and the function's "try again" (429, 502, 503, 504) and a network failure (status 0). Crest
 * answers 503 OUTCOME_UNKNOWN and 5xx from the gateway when a write may or may not have been
 * applied: only a request that names itself (an Idempotency-Key, an idempotent action) may be
 * retried then, which is why only the helpers below retry.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([0, 429, 502, 503, 504]);

async function retrying<T>(send: () => Promise<Attempt<T>>, policy: RetryPolicy): Promise<Attempt<T> & { retries: number }> {
  const attempts = Math.max(1, policy.attempts ?? 5);
  const sleep = policy.sleep ?? defaultSleep;
  let backoff = policy.backoffMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    policy.signal?.throwIfAborted();
    const answer = await send();
    if (!RETRYABLE_STATUSES.has(answer.status) || attempt >= attempts) return { ...answer, retries: attempt - 1 };
    await sleep(Math.min(answer.retryAfterMs ?? backoff, policy.maxWaitMs ?? 60_000), policy.signal);
    backoff = Math.min(backoff * 2, 8_000);
  }
}

/** Turns an openapi-fetch call (or a network failure) into an Attempt. */
async function attempt<T>(call: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Attempt<T>> {
  try {
    const { data, error, response } = await call();
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      data,
      error: error as ApiError | undefined,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after') ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { status: 0, error: { error: { code: 'NETWORK', message: (error as Error).message }, requestId: null } };
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

// ---- Buying ------------------------------------------------------------------------------------

export interface BuyRequest extends RetryPolicy {
  sku: string;
  quantity: number;
  /**
   * Names this purchase. Made for you (a UUID) when absent; keep the one returned to retry later
   * (after the app restarts, say): the same key never buys twice.
   */
  idempotencyKey?: string;
}

export type BuyResult =
  | { ok: true; idempotencyKey: string; accepted: DeductionAccepted; retries: number }
  | { ok: false; idempotencyKey: string; status: number; error: ApiError; retries: number };

/**
 * `POST /v1/products/{sku}/deductions`, retried with the same Idempotency-Key after a network
 * failure, a 429, a 503 (including OUTCOME_UNKNOWN) or a 5xx from the gateway, honouring
 * Retry-After: the server answers the same deduction every time, and applies it at most once.
 * Any other answer is final: 202 (`ok`), or a refusal such as 409 SOLD_OUT.
 */
export async function buy(client: CrestClient, request: BuyRequest): Promise<BuyResult> {
  const idempotencyKey = request.idempotencyKey ?? crypto.randomUUID();
  const answer = await retrying(
    () =>
      attempt(() =>
        client.POST('/v1/products/{sku}/deductions', {
          params: { path: { sku: request.sku }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { quantity: request.quantity },
          signal: request.signal,
        }),
      ),
    request,
  );
  if (answer.status === 202 && answer.data) return { ok: true, idempotencyKey, accepted: answer.data, retries: answer.retries };
  return { ok: false, idempotencyKey, status: answer.status, error: errorOf(answer), retries: answer.retries };
}

// ---- Polling -----------------------------------------------------------------------------------

/** True once the consumer has decided the deduction (any status but QUEUED, including ones added later). */
export const isDecided = (d: Deduction): boolean => d.status !== 'QUEUED';

export interface PollOptions {
  /** Stop when this holds (default: isDecided). */
  until?: (deduction: Deduction) => boolean;
  /** Give up after this long (ms, default 60 s). */
  timeoutMs?: number;
  /** Wait between polls when the answer has no Retry-After (ms, default 1 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A deduction that did not reach the awaited state in time (`last` is what was seen last, if anything). */
export class DeductionPendingError extends Error {
  override readonly name = 'DeductionPendingError';
  constructor(
    readonly id: string,
    readonly last: Deduction | undefined,
  ) {
    super(`Deduction ${id} is still ${last?.status ?? 'unread'}`);
  }
}

/** A call answered with an error that retrying cannot change (a 4xx). */
export class CrestApiError extends Error {
  override readonly name = 'CrestApiError';
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
  }
}

/**
 * Polls `GET /v1/deductions/{id}` until `until` holds (default: decided), waiting Retry-After
 * between polls as the server asks. A read changes nothing, so failures that say "try again"
 * (429, 5xx, network) are polled through until the timeout.
 * @throws DeductionPendingError past `timeoutMs`; CrestApiError on a 4xx (404: not yours, or unknown).
 */
export async function waitForDeduction(client: CrestClient, id: string, options: PollOptions = {}): Promise<Deduction> {
  const until = options.until ?? isDecided;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: Deduction | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const answer = await attempt(() => client.GET('/v1/deductions/{id}', { params: { path: { id } }, signal: options.signal }));
    if (answer.status === 200 && answer.data) {
      last = answer.data;
      if (until(last)) return last;
    } else if (!RETRYABLE_STATUSES.has(answer.status)) {
      throw new CrestApiError(answer.status, errorOf(answer));
    }
    const wait = answer.retryAfterMs ?? options.intervalMs ?? 1_000;
    if (Date.now() + wait > deadline) throw new DeductionPendingError(id, last);
    await sleep(wait, options.signal);
  }
}

/**
 * `POST /v1/deductions/{id}/confirm` (after payment, before the hold's `expiresAt`), retried after
 * "try again" answers (confirming is idempotent: a second confirm answers the same).
 * @throws CrestApiError when refused (409 HOLD_EXPIRED: the units went back; 409 NOT_CONFIRMABLE;
 *   404) or still failing after the attempts.
 */
export async function confirmDeduction(client: CrestClient, id: string, policy: RetryPolicy = {}): Promise<Deduction> {
  const answer = await retrying(
    () => attempt(() => client.POST('/v1/deductions/{id}/confirm', { params: { path: { id } }, signal: policy.signal })),
    policy,
  );
  if (answer.status === 200 && answer.data) return answer.data;
  throw new CrestApiError(answer.status, errorOf(answer));
}

/**
 * `POST /v1/deductions/{id}/cancel`, retried after "try again" answers (cancelling is idempotent:
 * a second cancel answers the same).
 * @throws CrestApiError when refused (409 NOT_CANCELLABLE, 404) or still failing after the attempts.
 */
export async function cancelDeduction(client: CrestClient, id: string, policy: RetryPolicy = {}): Promise<Deduction> {
  const answer = await retrying(
    () => attempt(() => client.POST('/v1/deductions/{id}/cancel', { params: { path: { id } }, signal: policy.signal })),
    policy,
  );
  if (answer.status === 200 && answer.data) return answer.data;
  throw new CrestApiError(answer.status, errorOf(answer));
}

function errorOf(answer: Attempt<unknown>): ApiError {
  return answer.error ?? { error: { code: 'UNEXPECTED_ANSWER', message: `HTTP ${answer.status} without an error body` }, requestId: null };
}
