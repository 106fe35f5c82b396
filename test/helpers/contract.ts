import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, Operation } from '../../lib/contract/openapi.js';

/** An answer as a client saw it. */
export interface ObservedResponse {
  method: string;
  /** The request path (`/v1/products/DEMO-0001`), matched against the document's templates. */
  path: string;
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

/**
 * Holds observed answers to the OpenAPI document: the route (method and path template) must be
 * there, the status must be one it lists, every header it marks required must be present, and
 * the body must match its schema (none where it declares none). Returns what does not match
 * (empty: the answer is one the document promises).
 */
export class ResponseValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly operations: Array<{ method: string; pattern: RegExp; template: string; operation: Operation }>;

  constructor(document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    // One schema holding the components, so the document's own `#/components/...` refs resolve.
    this.ajv.addSchema({ $id: 'crest-openapi', components: document.components }, 'crest-openapi');
    this.operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation,
      })),
    );
  }

  /** The document's `METHOD template` for a request path, or undefined. */
  route(method: string, path: string): string | undefined {
    const found = this.find(method, path);
    return found && `${found.method} ${found.template}`;
  }

  validate(observed: ObservedResponse): string[] {
    const found = this.find(observed.method, observed.path);
    const where = `${observed.method} ${observed.path} → ${observed.status}`;
    if (!found) {
      // An unknown route (or method): the gateway's 404, documented once for all (info.description).
      const code = (observed.body as { error?: { code?: unknown } } | undefined)?.error?.code;
      return observed.status === 404 && code === 'ROUTE_NOT_FOUND' ? [] : [`${where}: no such route in the document`];
    }
    const response = found.operation.responses[String(observed.status)];
    if (!response) return [`${where}: status not listed for ${found.method} ${found.template}`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required && !observed.headers.has(name)) problems.push(`${where}: required header ${name} missing`);
    }
    const media = response.content?.['application/json'];
    if (!media) {
      if (observed.body !== undefined) problems.push(`${where}: the document declares no body`);
      return problems;
    }
    const ref = refOf(media.schema);
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (!validate(observed.body)) {
      for (const e of validate.errors ?? []) problems.push(`${where}: body${e.instancePath} ${e.message ?? ''}`);
    }
    const codes = response['x-crest-error-codes'];
    const code = (observed.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (codes && typeof code === 'string' && !codes.includes(code)) {
      problems.push(`${where}: error code ${code} not listed (${codes.join(', ')})`);
    }
    return problems;
  }

  private find(method: string, path: string) {
    return this.operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
  }
}

/** A response schema (`{ $ref: '#/components/schemas/X' }`) as a ref into the components schema. */
function refOf(schema: Record<string, unknown>): string {
  const ref = schema.$ref;
  if (typeof ref !== 'string') throw new Error('Response schemas are named components');
  return `crest-openapi${ref}`;
}
