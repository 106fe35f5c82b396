import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { CALLER_HEADER } from './dynamodb-proxy.js';

/**
 * Who is calling AWS right now in this process: the hosted function whose invocation is running
 * (LambdaHost runs each invocation in it) or the event source polling for one. The local AWS
 * proxies count calls by it.
 */
export const callerContext = new AsyncLocalStorage<string>();

/**
 * Runs `work` as `caller` while calls are being tagged; otherwise just runs it. (An
 * AsyncLocalStorage in use costs every promise a hook on Node 20, so it is entered only when the
 * proxies need it.)
 */
export function asCaller<T>(caller: string, work: () => T): T {
  return original ? callerContext.run(caller, work) : work();
}

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: { host?: string; port?: number | string }) => void;
const agentPrototype = http.Agent.prototype as unknown as { addRequest: AddRequest };
const targets = new Map<string, number>();
let original: AddRequest | undefined;

/**
 * Adds the current caller as a header to every request this process sends through an http.Agent
 * (as the SDK's clients do) to one of `hosts` (`127.0.0.1:<port>` of the proxies), which read it
 * and remove it. The header is set when the agent takes the request, before its head is written:
 * Node 20 publishes no diagnostics event early enough for it. Returns a function that stops.
 */
export function tagCallsTo(hosts: readonly string[]): () => void {
  for (const host of hosts) targets.set(host, (targets.get(host) ?? 0) + 1);
  if (!original) {
    const addRequest = agentPrototype.addRequest;
    original = addRequest;
    agentPrototype.addRequest = function (req, options) {
      const caller = callerContext.getStore();
      if (caller && !req.headersSent && targets.has(`${options.host}:${options.port}`)) req.setHeader(CALLER_HEADER, caller);
      return addRequest.call(this, req, options);
    };
  }
  return () => {
    for (const host of hosts) {
      const left = (targets.get(host) ?? 1) - 1;
      if (left > 0) targets.set(host, left);
      else targets.delete(host);
    }
    if (targets.size === 0 && original) {
      agentPrototype.addRequest = original;
      original = undefined;
    }
  };
}
