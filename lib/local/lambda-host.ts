import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { asCaller } from './aws-proxy/caller-tag.js';
import { concurrentInvocations } from './invoke-store.js';
import type { FunctionDescription } from './stack-description.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda stopped waiting for the function at its timeout (the invocation failed). */
export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
  constructor(timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  }
}

export interface HostedFunction {
  readonly logicalId: string;
  readonly description: FunctionDescription;
  /** The environment the bundle was loaded with. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Invokes the handler. Past the function's timeout the invocation fails with
   * FunctionTimeoutError, as in Lambda; the handler's promise is no longer awaited (Lambda would
   * stop the environment; here its remaining work runs on unobserved).
   */
  invoke(event: unknown): Promise<unknown>;
  /**
   * Invocations running now, the most ever running at once, and the totals; `billedMs` sums each
   * invocation's duration rounded up to the millisecond, as Lambda bills it.
   */
  readonly stats: { inFlight: number; maxInFlight: number; invocations: number; errors: number; timeouts: number; billedMs: number };
}

/**
 * Variables every locally hosted function gets over its template environment. One process stands
 * in for as many containers as there are concurrent invocations, all sharing one event loop and
 * one SDK socket pool against emulators on the same cores, so the pool is larger and the SDK and
 * per-source read timeouts longer than a single Lambda container needs.
 */
export const LOCAL_HOSTING_ENV: Readonly<Record<string, string>> = {
  SDK_MAX_SOCKETS: '512',
  SDK_CONNECTION_TIMEOUT_MS: '5000',
  SDK_REQUEST_TIMEOUT_MS: '5000',
  READ_TIMEOUT_INFO_MS: '2000',
  READ_TIMEOUT_PRICE_MS: '2000',
  READ_TIMEOUT_STOCK_MS: '2000',
};

/**
 * Hosts the stack's Lambda functions in this process by importing the very bundles the cloud
 * assembly would upload (`asset.<hash>/index.mjs`).
 *
 * Concurrency: one process runs every concurrent invocation, as a Lambda Managed Instances
 * environment does, so each invocation runs in its own InvokeStore context and Powertools keeps
 * its per-invocation state (log keys such as the correlation id) apart (lib/local/invoke-store.ts).
 *
 * Environment isolation: a function's variables are applied to process.env while its bundle is
 * imported. Crest functions read their configuration once at module scope (lambdas/shared/env.ts),
 * so each bundle keeps its own values; variables identical for every function (region, endpoints,
 * credentials) are set process-wide by the runtime.
 */
export class LambdaHost {
  private readonly functions = new Map<string, HostedFunction>();
  /** Each invocation in its own context, as Lambda runs concurrent ones (lib/local/invoke-store.ts). */
  private readonly inContext = concurrentInvocations();

  /**
   * @param environmentOf a function's environment: the template's, resolved against what was
   * provisioned, with the values only the local runtime knows (LOCAL_HOSTING_ENV goes on top).
   */
  constructor(
    private readonly assemblyDir: string,
    private readonly environmentOf: (fn: FunctionDescription) => Record<string, string>,
  ) {}

  async load(functions: readonly FunctionDescription[]): Promise<void> {
    for (const fn of functions) this.functions.set(fn.logicalId, await this.loadOne(fn));
  }

  get(logicalId: string): HostedFunction {
    const fn = this.functions.get(logicalId);
    if (!fn) throw new Error(`Function ${logicalId} is not hosted locally`);
    return fn;
  }

  all(): HostedFunction[] {
    return [...this.functions.values()];
  }

  private async loadOne(description: FunctionDescription): Promise<HostedFunction> {
    const { logicalId, timeoutSeconds } = description;
    const environment = { ...this.environmentOf(description), ...LOCAL_HOSTING_ENV };
    const bundle = path.join(this.assemblyDir, description.assetPath, `${description.handlerFile}.mjs`);
    const module = await withEnv(
      // As Lambda sets them; Powertools reads the initialization type to tell a cold start.
      { ...environment, AWS_LAMBDA_FUNCTION_NAME: description.name, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' },
      () => import(`${pathToFileURL(bundle).href}?fn=${logicalId}`),
    );
    const handler = module[description.handlerExport] as Handler | undefined;
    if (typeof handler !== 'function') {
      throw new Error(`${logicalId}: ${description.handlerFile}.${description.handlerExport} is not an exported function`);
    }

    const stats = { inFlight: 0, maxInFlight: 0, invocations: 0, errors: 0, timeouts: 0, billedMs: 0 };
    const inContext = this.inContext;
    return {
      logicalId,
      description,
      environment,
      stats,
      async invoke(event: unknown) {
        const timeoutMs = timeoutSeconds * 1000;
        const context = lambdaContext(description, Date.now() + timeoutMs);
        stats.inFlight += 1;
        stats.invocations += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        let timer: NodeJS.Timeout | undefined;
        const started = performance.now();
        // The invocation's AWS calls carry its name to the local AWS proxies (aws-proxy/caller-tag.ts),
        // and it runs in its own invoke-store context, as Lambda runs concurrent invocations.
        const running = asCaller(logicalId, () =>
          inContext(context.awsRequestId, () => Promise.resolve().then(() => handler(event, context))),
        );
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutSeconds)), timeoutMs);
        });
        try {
          return await Promise.race([running, timedOut]);
        } catch (error) {
          stats.errors += 1;
          if (error instanceof FunctionTimeoutError) {
            stats.timeouts += 1;
            running.catch(() => undefined);
          }
          throw error;
        } finally {
          clearTimeout(timer);
          stats.inFlight -= 1;
          stats.billedMs += Math.ceil(performance.now() - started);
        }
      },
    };
  }
}

function lambdaContext(fn: FunctionDescription, deadline: number): Context {
  return new LocalContext(fn, deadline);
}

/**
 * The Lambda context of one invocation. A class, not an object literal of arrow functions: one is
 * made per invocation, and the methods on its prototype cost nothing per call.
 */
class LocalContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = false;
  readonly functionVersion = '$LATEST';
  readonly logStreamName = 'local';
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId = randomUUID();
  readonly logGroupName: string;

  constructor(
    fn: FunctionDescription,
    private readonly deadline: number,
  ) {
    this.functionName = fn.name;
    this.invokedFunctionArn = fn.arn;
    this.memoryLimitInMB = String(fn.memoryMb);
    this.logGroupName = `/aws/lambda/${fn.name}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  done(): void {}
  fail(): void {}
  succeed(): void {}
}

async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const previous = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    previous.set(k, process.env[k]);
    process.env[k] = v;
  }
  try {
    return await work();
  } finally {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
