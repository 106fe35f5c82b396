/**
 * Errors produced by API Gateway itself (before a function runs). In AWS they are configured as
 * GatewayResponses on the REST API; the local runtime produces the same status and code, so a
 * client sees `{ error: { code, message }, requestId }` whichever layer rejected it.
 */
export interface GatewayError {
  /** CDK ResponseType name (apigw.ResponseType[type]). */
  type:
    | 'MISSING_AUTHENTICATION_TOKEN'
    | 'INVALID_API_KEY'
    | 'THROTTLED'
    | 'BAD_REQUEST_PARAMETERS'
    | 'BAD_REQUEST_BODY'
    | 'DEFAULT_4XX'
    | 'DEFAULT_5XX';
  status: number;
  code: string;
}

export const GATEWAY_ERRORS = {
  // API Gateway answers 403 "Missing Authentication Token" for an unknown route; we say 404.
  routeNotFound: { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, code: 'ROUTE_NOT_FOUND' },
  invalidApiKey: { type: 'INVALID_API_KEY', status: 403, code: 'INVALID_API_KEY' },
  throttled: { type: 'THROTTLED', status: 429, code: 'THROTTLED' },
  badRequestParameters: { type: 'BAD_REQUEST_PARAMETERS', status: 400, code: 'BAD_REQUEST_PARAMETERS' },
  badRequestBody: { type: 'BAD_REQUEST_BODY', status: 400, code: 'BAD_REQUEST_BODY' },
  default4xx: { type: 'DEFAULT_4XX', status: 400, code: 'BAD_REQUEST' },
  default5xx: { type: 'DEFAULT_5XX', status: 502, code: 'BAD_GATEWAY' },
} as const satisfies Record<string, GatewayError>;

/** VTL body template for a gateway response (AWS side). */
export function gatewayResponseTemplate(code: string): string {
  return `{"error":{"code":"${code}","message":$context.error.messageString},"requestId":"$context.requestId"}`;
}
