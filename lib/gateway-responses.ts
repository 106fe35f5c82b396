/**
 * Errors produced by API Gateway itself (before or instead of a function's answer). In AWS they
 * are GatewayResponses on the REST API (lib/constructs/crest-api.ts); the local runtime answers
 * the same status, code and headers, so a client sees `{ error: { code, message }, requestId }`
 * whichever layer refused it.
 *
 * `status` is the status API Gateway uses for that response type
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * It is written into the template only where Crest changes it (`overrideStatus`): a status set on
 * DEFAULT_4XX or DEFAULT_5XX would replace the status of every type not configured explicitly (a
 * WAF block, a 413, a throttling 429 and an integration timeout would all become that one code).
 * The defaults have no status of their own in AWS; theirs here is what the local gateway answers
 * (502 for a function that throws or returns a malformed result, as API Gateway does).
 */
export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'EXPIRED_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'WAF_FILTERED'
  | 'THROTTLED'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTEGRATION_TIMEOUT'
  | 'INTEGRATION_FAILURE'
  | 'RESOURCE_NOT_FOUND'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayError {
  /** CDK ResponseType name (apigw.ResponseType[type]). */
  type: GatewayResponseType;
  status: number;
  code: string;
  /** A fixed message; when absent the gateway's own message ($context.error.messageString) is used. */
  message?: string;
  /** Write `status` into the template (only where Crest's status differs from API Gateway's). */
  overrideStatus?: boolean;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  retryAfterSeconds?: number;
  /**
   * Request validation failures: `details` carries the validator's findings
   * (`$context.error.validationErrorString`, e.g. `[object has missing required properties (["quantity"])]`).
   */
  validationDetails?: boolean;
}

/**
 * A 5xx from the gateway says nothing about what the function did: it may have timed out or
 * failed after committing. Crest's writes are safe to retry (Idempotency-Key, If-Match), so say so.
 */
const OUTCOME_UNKNOWN_MESSAGE =
  'The request failed and may or may not have taken effect; retry with the same Idempotency-Key, or read the resource to find out';

export const GATEWAY_ERRORS = {
  // API Gateway answers 403 "Missing Authentication Token" for an unknown route; we say 404.
  routeNotFound: { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, code: 'ROUTE_NOT_FOUND', overrideStatus: true },
  // The Cognito authorizer refused the token (missing, malformed, expired, wrongly signed, another
  // app client's, an access token): "Unauthorized" or "The incoming token has expired".
  unauthorized: { type: 'UNAUTHORIZED', status: 401, code: 'UNAUTHORIZED' },
  accessDenied: { type: 'ACCESS_DENIED', status: 403, code: 'FORBIDDEN' },
  // An expired or wrongly signed token is "not authenticated" for a client: 401, like a missing one.
  expiredToken: { type: 'EXPIRED_TOKEN', status: 401, code: 'UNAUTHORIZED', overrideStatus: true },
  invalidSignature: { type: 'INVALID_SIGNATURE', status: 401, code: 'UNAUTHORIZED', overrideStatus: true },
  wafFiltered: { type: 'WAF_FILTERED', status: 403, code: 'FORBIDDEN', message: 'Request blocked' },
  throttled: { type: 'THROTTLED', status: 429, code: 'THROTTLED', retryAfterSeconds: 1 },
  // The request validator, against the route contract's required parameters and body models.
  badRequestParameters: { type: 'BAD_REQUEST_PARAMETERS', status: 400, code: 'BAD_REQUEST_PARAMETERS', validationDetails: true },
  badRequestBody: { type: 'BAD_REQUEST_BODY', status: 400, code: 'BAD_REQUEST_BODY', validationDetails: true },
  requestTooLarge: { type: 'REQUEST_TOO_LARGE', status: 413, code: 'REQUEST_TOO_LARGE', message: 'Request body is larger than 10 MB' },
  unsupportedMediaType: { type: 'UNSUPPORTED_MEDIA_TYPE', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  // The function may still be running, and may still commit: the outcome is unknown, not failed.
  integrationTimeout: { type: 'INTEGRATION_TIMEOUT', status: 504, code: 'OUTCOME_UNKNOWN', message: OUTCOME_UNKNOWN_MESSAGE },
  integrationFailure: { type: 'INTEGRATION_FAILURE', status: 504, code: 'OUTCOME_UNKNOWN', message: OUTCOME_UNKNOWN_MESSAGE },
  resourceNotFound: { type: 'RESOURCE_NOT_FOUND', status: 404, code: 'ROUTE_NOT_FOUND' },
  // Any other 4xx keeps its own status; the code does not pretend to know which it was.
  default4xx: { type: 'DEFAULT_4XX', status: 400, code: 'REQUEST_REJECTED' },
  // A function that threw, timed out or was throttled (API Gateway: 502 or 500).
  default5xx: { type: 'DEFAULT_5XX', status: 502, code: 'OUTCOME_UNKNOWN', message: OUTCOME_UNKNOWN_MESSAGE },
} as const satisfies Record<string, GatewayError>;

/**
 * Crest's error body as a gateway response template (AWS side: simple variable substitution, no
 * VTL): the gateway's message unless a fixed one is given, and the validator's findings in
 * `details` for a request validation failure. `$context.error.messageString` comes quoted;
 * `validationErrorString` does not.
 */
export function gatewayResponseTemplate(error: GatewayError): string {
  const message = error.message === undefined ? '$context.error.messageString' : JSON.stringify(error.message);
  const details = error.validationDetails ? ',"details":"$context.error.validationErrorString"' : '';
  return `{"error":{"code":"${error.code}","message":${message}${details}},"requestId":"$context.requestId"}`;
}

/** Headers every gateway error carries (AWS: responseParameters; local: the same values). */
export function gatewayResponseHeaders(error: GatewayError): Record<string, string> {
  return {
    'cache-control': 'no-store',
    ...(error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) }),
  };
}
