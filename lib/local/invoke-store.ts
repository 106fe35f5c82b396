import { AsyncLocalStorage } from 'node:async_hooks';

/** The keys the Lambda runtime keeps per invocation (as @aws/lambda-invoke-store names them). */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const X_RAY_TRACE_ID = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');

/** Marks this process's store (modules may be loaded more than once; the store must not be). */
const LOCAL = Symbol.for('crest.local.InvokeStore');

type InvocationContext = Record<PropertyKey, unknown>;

/**
 * The per-invocation store Lambda's Node.js runtime exposes as `globalThis.awslambda.InvokeStore`
 * when one execution environment runs invocations concurrently (Lambda Managed Instances, which
 * set `AWS_LAMBDA_MAX_CONCURRENCY`). The local runtime is that case: one process runs every
 * concurrent invocation of a function. Powertools keeps its per-invocation state here when the
 * variable is set (Logger's appended keys: the correlation id, the Lambda context; Metrics'
 * stored values), so two requests served at once never log each other's correlation id.
 */
class LocalInvokeStore {
  readonly [LOCAL] = true;
  private readonly als = new AsyncLocalStorage<InvocationContext>();

  getContext(): InvocationContext | undefined {
    return this.als.getStore();
  }
  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }
  get(key: PropertyKey): unknown {
    return this.als.getStore()?.[key];
  }
  set(key: PropertyKey, value: unknown): void {
    const store = this.als.getStore();
    if (!store) throw new Error('No context available');
    store[key] = value;
  }
  run<T>(context: InvocationContext, fn: () => T): T {
    return this.als.run(context, fn);
  }
  getRequestId(): string {
    return (this.get(REQUEST_ID) as string | undefined) ?? '-';
  }
  getXRayTraceId(): string | undefined {
    return this.get(X_RAY_TRACE_ID) as string | undefined;
  }
  getTenantId(): undefined {
    return undefined;
  }
}

interface LambdaGlobal {
  awslambda?: { InvokeStore?: unknown };
}

/**
 * Installs the store for this process (once) and says invocations run concurrently; returns how
 * to run one invocation in its own context. Both are process-wide, as they are in Lambda.
 */
export function concurrentInvocations(): (requestId: string, work: () => Promise<unknown>) => Promise<unknown> {
  const global = globalThis as LambdaGlobal;
  global.awslambda ??= {};
  // Replaces whatever is there: the runtime's own SDK clients may have installed a single-invocation
  // store already (the SDK asks for one, and gets that kind while the variable is unset).
  if (!(global.awslambda.InvokeStore as { [LOCAL]?: true } | undefined)?.[LOCAL]) global.awslambda.InvokeStore = new LocalInvokeStore();
  const store = global.awslambda.InvokeStore as LocalInvokeStore;
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
  return (requestId, work) => store.run({ [REQUEST_ID]: requestId }, work);
}
