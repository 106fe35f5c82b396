import { type CrestClient, createCrestClient, type TokenSource } from '../../clients/typescript/src/index.js';
import { openApiDocument } from '../../lib/contract/openapi.js';
import { ResponseValidator } from './contract.js';

const validator = new ResponseValidator(openApiDocument());

/** Paths the local runtime serves besides the API (tokens, live view, the document itself): not part of the contract. */
const LOCAL_ONLY = /^\/(_local(\/|$)|openapi\.json$|docs(\/|$))/;

/** An answer of the API that the OpenAPI document does not promise. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** How many answers contractFetch has held to the document in this test file (a suite asserts it validated some). */
export const contractChecks = { responses: 0 };

/**
 * fetch, holding every answer of the API to the OpenAPI document (clients/openapi.json's source):
 * the route and status must be listed, its required headers present, its body valid against the
 * schema, an error's code one the status lists. Throws ContractViolation otherwise, failing the
 * test that made the call. Local-only paths (`/_local/…`, `/openapi.json`, `/docs`) pass unchecked.
 */
export async function contractFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const method = request.method;
  const { pathname } = new URL(request.url);
  const res = await fetch(request);
  if (LOCAL_ONLY.test(pathname)) return res;
  const text = await res.clone().text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ContractViolation(`${method} ${pathname} → ${res.status}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  const problems = validator.validate({ method, path: pathname, status: res.status, headers: res.headers, body });
  contractChecks.responses += 1;
  if (problems.length) throw new ContractViolation(problems.join('\n'));
  return res;
}

/** contractFetch + JSON: the status, the headers and the parsed body (undefined when empty). */
export async function call(url: string, init: RequestInit = {}) {
  const res = await contractFetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** The typed client (clients/typescript) on `baseUrl`, every answer held to the document. */
export function apiClient(baseUrl: string, token?: TokenSource): CrestClient {
  return createCrestClient({ baseUrl, ...(token === undefined ? {} : { token }), fetch: (request) => contractFetch(request) });
}
