import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorDetails } from '../domain/errors.js';

export type Headers = Record<string, string>;

const JSON_HEADERS: Headers = { 'content-type': 'application/json; charset=utf-8' };

export function json(statusCode: number, body: unknown, headers: Headers = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function notModified(headers: Headers): APIGatewayProxyResult {
  return { statusCode: 304, headers, body: '' };
}

/** The one error body shape of every Crest route. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

export function errorResponse(
  status: number,
  error: { code: string; message: string; details?: ErrorDetails },
  requestId: string,
  headers: Headers = {},
): APIGatewayProxyResult {
  const body: ErrorBody = { error: { code: error.code, message: error.message }, requestId };
  if (error.details !== undefined) body.error.details = error.details;
  return json(status, body, { 'cache-control': 'no-store', ...headers });
}

/** Case-insensitive header lookup (API Gateway preserves the client's casing). */
export function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

/** True when an If-None-Match header matches the given strong ETag (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
