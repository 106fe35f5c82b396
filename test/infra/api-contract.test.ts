import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type RouteSpec } from '../../lambdas/http/api-contract.js';
import { gatewayModel } from '../../lib/contract/json-schema.js';
import { openApiDocument } from '../../lib/contract/openapi.js';
import { RequestValidator } from '../../lib/local/api-gateway/request-validator.js';
import { describeStack, type Route } from '../../lib/local/stack-description.js';
import { synthLocal } from '../../lib/local/synth.js';

describe('the route contract in the synthesized template', () => {
  // The template the local runtime hosts (target=local): the same methods, models and validator as AWS's.
  let routes: Route[] = [];
  beforeAll(async () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'crest-contract-'));
    const { template, stackName } = await synthLocal({ build: false, outdir });
    // OPTIONS methods are CORS preflights (when configured), not routes of the contract.
    routes = describeStack(template, { stackName }).api.routes.filter((r) => r.method !== 'OPTIONS');
  });
  const key = (r: { method: string; resourcePath: string }) => `${r.method} ${r.resourcePath}`;
  const contract = API_ROUTES as Record<string, RouteSpec>;

  it('has exactly the routes of the OpenAPI document: none missing from it, none it lacks', () => {
    const document = openApiDocument();
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.map(key).sort()).toEqual(documented.sort());
  });

  it('gives every method with a body the model generated from its schema, validated by the gateway', () => {
    for (const route of routes) {
      const body = contract[key(route)]?.body;
      if (!body) {
        expect(route.bodyModel, key(route)).toBeUndefined();
        continue;
      }
      // `$default`: a client cannot skip the model by claiming another Content-Type.
      expect(route.bodyModel, key(route)).toEqual({ name: body.name, schema: gatewayModel(body.schema, body.name), appliesTo: 'any' });
    }
    expect(routes.filter((r) => r.bodyModel).length).toBe(Object.values(contract).filter((s) => s.body).length);
  });

  it('declares the contract’s required headers and query parameters as required request parameters', () => {
    const buy = routes.find((r) => key(r) === 'POST /v1/products/{sku}/deductions');
    expect(buy?.requiredHeaders).toEqual(['Idempotency-Key']);
    for (const route of routes) {
      const spec = contract[key(route)];
      const required = Object.entries(spec?.headers ?? {})
        .filter(([, h]) => h.required)
        .map(([name]) => name);
      expect(route.requiredHeaders, key(route)).toEqual(required);
    }
  });

  it('has no body model the local gateway does not enforce: a body of the wrong type never reaches a function there', () => {
    const validator = new RequestValidator(routes);
    const withModels = routes.filter((r) => r.bodyModel);
    expect(withModels.length).toBeGreaterThan(0);
    for (const route of withModels) {
      expect(validator.enforcesBodyOf(route), key(route)).toBe(true);
      const headers = Object.fromEntries(route.requiredHeaders.map((h) => [h.toLowerCase(), 'x'.repeat(16)]));
      for (const contentType of ['application/json', 'text/plain']) {
        const refused = validator.validate(route, { headers: { ...headers, 'content-type': contentType }, query: [], body: '[1]' });
        expect(refused?.error.code, `${key(route)} as ${contentType}`).toBe('BAD_REQUEST_BODY');
      }
    }
  });
});
