import type { ErrorObject, ValidateFunction } from 'ajv/dist/types/index.js';
import ajvDraft04 from 'ajv-draft-04';
import { GATEWAY_ERRORS, type GatewayError } from '../../gateway-responses.js';
import type { BodyModel, Route } from '../stack-description.js';

/** A request API Gateway's validator refuses: which gateway response, its message and the validator's findings. */
export interface ValidationFailure {
  error: GatewayError;
  message: string;
  /** `$context.error.validationErrorString`. */
  details: string;
}

export interface RequestToValidate {
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  query: ReadonlyArray<[string, string]>;
  body: string | null;
}

/**
 * API Gateway's request validator as the template configures it, for the local gateway: required
 * headers and query parameters (400 BAD_REQUEST_PARAMETERS), then the body against the method's
 * model, JSON Schema draft 4 (400 BAD_REQUEST_BODY), before any function is invoked. The models
 * are the template's own (`AWS::ApiGateway::Model`), compiled once.
 *
 A `$default` model (what CrestApi.addRoute sets) applies to every body, whatever its
 * Content-Type, as in API Gateway; an `application/json` one only to JSON bodies and bodies
 * without a Content-Type (API Gateway validates only a matching content type).
 *
 * Where API Gateway's behaviour is not documented, the choice is the stricter one that a valid
 * request still passes:
 * - an empty body is validated as `{}` (a route whose body is optional accepts it; one whose model
 *   requires a field refuses it);
 * - messages follow the wording of API Gateway's validator for the keywords Crest's models use.
 */
export class RequestValidator {
  // ajv-draft-04 is CommonJS: its class is the module's `default` export.
  private readonly ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Compiles every route's model now, so that a model the validator cannot read fails at start. */
  constructor(routes: readonly Route[]) {
    for (const route of routes) if (route.bodyModel) this.modelOf(route.bodyModel);
  }

  validate(route: Route, request: RequestToValidate): ValidationFailure | undefined {
    const present = new Set(request.query.map(([name]) => name));
    const missing = [
      ...route.requiredHeaders.filter((h) => request.headers[h.toLowerCase()] === undefined),
      ...route.requiredQuery.filter((q) => !present.has(q)),
    ];
    if (missing.length) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      return { error: GATEWAY_ERRORS.badRequestParameters, message, details: message };
    }
    if (!route.bodyModel) return undefined;
    if (route.bodyModel.appliesTo === 'json' && !isJson(request.headers['content-type'])) return undefined;
    const refuse = (findings: string[]): ValidationFailure => ({
      error: GATEWAY_ERRORS.badRequestBody,
      message: 'Invalid request body',
      details: `[${findings.join(', ')}]`,
    });
    let body: unknown = {};
    if (request.body !== null && request.body.trim() !== '') {
      try {
        body = JSON.parse(request.body);
      } catch (error) {
        return refuse([`Invalid JSON: ${(error as Error).message}`]);
      }
    }
    const check = this.modelOf(route.bodyModel);
    return check(body) ? undefined : refuse((check.errors ?? []).map(finding));
  }

  /** True when `route` has a body model this validator enforces (the parity test asks). */
  enforcesBodyOf(route: Route): boolean {
    return route.bodyModel !== undefined && this.compiled.has(route.bodyModel.name);
  }

  private modelOf(model: BodyModel): ValidateFunction {
    const known = this.compiled.get(model.name);
    if (known) return known;
    // A copy: the description is frozen, and the compiled schema must not depend on it.
    const check = this.ajv.compile(structuredClone(model.schema) as Record<string, unknown>);
    this.compiled.set(model.name, check);
    return check;
  }
}

function isJson(contentType: string | string[] | undefined): boolean {
  if (contentType === undefined) return true;
  const type = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(';')[0]?.trim().toLowerCase();
  return type === '' || type === 'application/json';
}

/** One finding, worded as API Gateway's validator words it. */
function finding(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath ? ` (at ${e.instancePath})` : '';
  switch (e.keyword) {
    case 'required':
      return `object has missing required properties (${JSON.stringify([p.missingProperty])})${at}`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify([p.additionalProperty])}${at}`;
    case 'type':
      return `instance type does not match any allowed primitive type (allowed: ${JSON.stringify([p.type].flat())})${at}`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)})${at}`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)})${at}`;
    case 'minLength':
      return `string is too short (required minimum: ${String(p.limit)})${at}`;
    case 'maxLength':
      return `string is too long (required maximum: ${String(p.limit)})${at}`;
    case 'pattern':
      return `ECMA 262 regex ${JSON.stringify(p.pattern)} does not match input string${at}`;
    case 'enum':
      return `instance value not found in enum (possible values: ${JSON.stringify(p.allowedValues)})${at}`;
    default:
      return `${e.message ?? e.keyword}${at}`;
  }
}
