import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION, type LocalTemplate } from './template.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface HostedFunction {
  logicalId: string;
  /** Template timeout in seconds. */
  timeoutSeconds: number;
  reservedConcurrency?: number;
  environment: Record<string, string>;
  invoke(event: unknown): Promise<unknown>;
  /** Invocations running now, and the most ever running at once. */
  readonly stats: { inFlight: number; maxInFlight: number; invocations: number; errors: number };
}

/**
 * Hosts the template's Lambda functions in this process by importing the very bundles the cloud
 * assembly would upload (`asset.<hash>/index.mjs`), with each function's environment resolved
 * from the template.
 *
 * Environment isolation: a function's variables are applied to process.env while its bundle is
 * imported. Crest functions read configuration once at module scope (STYLE.md §11), so each
 * bundle keeps its own values; variables identical for every function (region, endpoints,
 * credentials) are set process-wide by the runtime.
 */
/**
 * Defaults every locally hosted function gets underneath its template environment. One process
 * stands in for as many containers as there are concurrent invocations, all sharing one SDK
 * socket pool against a JVM emulator, so the pool is larger and the SDK timeouts longer than a
 * single Lambda container needs.
 */
export const LOCAL_HOSTING_ENV: Record<string, string> = {
  SDK_MAX_SOCKETS: '512',
  SDK_CONNECTION_TIMEOUT_MS: '5000',
  SDK_REQUEST_TIMEOUT_MS: '5000',
};

export class LambdaHost {
  private readonly functions = new Map<string, HostedFunction>();

  /**
   * @param localEnv variables the local runtime substitutes for values only it knows (e.g. the
   * emulator's URL for static copies), applied over the template's environment.
   */
  constructor(
    private readonly t: LocalTemplate,
    private readonly assemblyDir: string,
    private readonly localEnv: (env: Record<string, string>) => Record<string, string> = (env) => env,
  ) {}

  async loadAll(): Promise<void> {
    for (const [id] of this.t.ofType('AWS::Lambda::Function')) {
      if (this.isCrestFunction(id)) await this.load(id);
    }
  }

  get(logicalId: string): HostedFunction {
    const fn = this.functions.get(logicalId);
    if (!fn) throw new Error(`Function ${logicalId} is not hosted locally`);
    return fn;
  }

  all(): HostedFunction[] {
    return [...this.functions.values()];
  }

  /** CDK adds helper functions (custom resources) without our bundle layout; we host only ours. */
  private isCrestFunction(logicalId: string): boolean {
    const r = this.t.resource(logicalId);
    return r.Properties?.Handler === 'index.handler' && typeof r.Metadata?.['aws:asset:path'] === 'string';
  }

  private async load(logicalId: string): Promise<void> {
    const r = this.t.resource(logicalId);
    const props = r.Properties ?? {};
    const assetDir = path.join(this.assemblyDir, String(r.Metadata?.['aws:asset:path']));
    const [file, exportName] = String(props.Handler).split('.') as [string, string];
    const environment = this.localEnv(
      Object.fromEntries(
        Object.entries(
          (this.t.resolve((props.Environment as { Variables?: object } | undefined)?.Variables) ?? {}) as Record<string, unknown>,
        ).map(([k, v]) => [k, String(v)]),
      ),
    );
    const module = await withEnv(
      { ...LOCAL_HOSTING_ENV, ...environment, AWS_LAMBDA_FUNCTION_NAME: logicalId },
      () => import(`${pathToFileURL(path.join(assetDir, `${file}.mjs`)).href}?fn=${logicalId}`),
    );
    const handler = module[exportName] as Handler | undefined;
    if (typeof handler !== 'function') throw new Error(`${logicalId}: ${props.Handler} does not export a function named ${exportName}`);

    const timeoutSeconds = Number(props.Timeout ?? 3);
    const memory = Number(props.MemorySize ?? 128);
    const stats = { inFlight: 0, maxInFlight: 0, invocations: 0, errors: 0 };
    const hosted: HostedFunction = {
      logicalId,
      timeoutSeconds,
      reservedConcurrency: props.ReservedConcurrentExecutions === undefined ? undefined : Number(props.ReservedConcurrentExecutions),
      environment,
      stats,
      async invoke(event: unknown) {
        const deadline = Date.now() + timeoutSeconds * 1000;
        const context = lambdaContext(logicalId, memory, deadline);
        stats.inFlight += 1;
        stats.invocations += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        try {
          return await handler(event, context);
        } catch (error) {
          stats.errors += 1;
          throw error;
        } finally {
          stats.inFlight -= 1;
        }
      },
    };
    this.functions.set(logicalId, hosted);
  }
}

function lambdaContext(functionName: string, memory: number, deadline: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memory),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
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
