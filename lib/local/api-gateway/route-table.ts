import type { Route } from '../stack-description.js';

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

/** A request target split the way API Gateway reads it. */
export interface RequestTarget {
  /** The path with repeated slashes merged, as API Gateway routes it. */
  path: string;
  query: Array<[string, string]>;
}

/**
 * Reads an HTTP request target (`req.url`) as a path and a query. Never `new URL(target, base)`:
 * a target starting `//` would be read as a host (`//v1/products/X` → host `v1`). API Gateway
 * merges repeated slashes, so `//v1//products/X` routes as `/v1/products/X`.
 */
export function parseRequestTarget(target: string): RequestTarget {
  // Absolute form (`GET http://host/path`, sent to proxies) carries the path after the authority.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target)?.[0];
  const rest = origin ? target.slice(origin.length) : target;
  const queryAt = rest.indexOf('?');
  const rawPath = (queryAt < 0 ? rest : rest.slice(0, queryAt)).split('#')[0] ?? '';
  const search = queryAt < 0 ? '' : rest.slice(queryAt + 1).split('#')[0];
  const path = `/${rawPath.split('/').filter(Boolean).join('/')}`;
  return { path, query: [...new URLSearchParams(search)] };
}

/**
 * The template's methods, matched as API Gateway does: segment by segment, a literal segment
 * preferred over a `{parameter}` at the same place, path parameters URL-decoded.
 */
export class RouteTable {
  private readonly routes: readonly Route[];

  constructor(routes: readonly Route[]) {
    this.routes = [...routes].sort((a, b) => specificity(b) - specificity(a));
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const pathParameters = matchSegments(route.segments, parts);
      if (pathParameters) return { route, pathParameters };
    }
    return undefined;
  }
}

function matchSegments(segments: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const pathParameters: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] as string;
    if (isParameter(segment)) pathParameters[segment.slice(1, -1)] = safeDecode(part);
    else if (segment !== part) return undefined;
  }
  return pathParameters;
}

/** Earlier literal segments weigh more: /a/b/{x} before /a/{y}/c before /{z}/b/c. */
function specificity(route: Route): number {
  return route.segments.reduce((score, segment, i) => score + (isParameter(segment) ? 0 : 2 ** (32 - i)), 0);
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
