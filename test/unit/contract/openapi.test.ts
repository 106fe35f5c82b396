import { validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../lambdas/http/api-contract.js';
import { staleContractFiles } from '../../../lib/contract/artifacts.js';
import { openApiDocument } from '../../../lib/contract/openapi.js';

const document = openApiDocument();

/** A validator for `#/components/schemas/<name>` of the document. */
function schemaValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: document.components }, 'doc');
  return (ref: string, value: unknown) => {
    const check = ajv.compile({ $ref: `doc${ref}` });
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('openApiDocument', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has exactly the routes of the route contract table', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(Object.keys(API_ROUTES).sort());
  });

  it('declares every path parameter, and Idempotency-Key as a required header of the buy route', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(methods)) {
        const inPath = operation.parameters.filter((p) => p.in === 'path');
        expect(inPath.map((p) => p.name).sort(), path).toEqual(names.sort());
        expect(inPath.every((p) => p.required)).toBe(true);
      }
    }
    const buy = document.paths['/v1/products/{sku}/deductions']?.post;
    expect(buy?.parameters.find((p) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header', required: true });
  });

  it('asks signed-in routes for the Cognito ID token, and admin routes for the admins group', () => {
    for (const [key, spec] of Object.entries(API_ROUTES)) {
      const [method = '', path = ''] = key.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      const expected = { public: [], buyer: [{ CognitoIdToken: [] }], admin: [{ CognitoIdToken: ['admins'] }] }[spec.access];
      expect(operation?.security, key).toEqual(expected);
      if (spec.access !== 'public') expect(Object.keys(operation?.responses ?? {}), key).toContain('401');
    }
    expect(document.components.securitySchemes.CognitoIdToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  });

  it('lists every error code a route may answer under its status, in the one error shape', () => {
    const buy = document.paths['/v1/products/{sku}/deductions']?.post?.responses ?? {};
    expect(buy['400']?.['x-crest-error-codes']).toEqual(
      expect.arrayContaining(['VALIDATION_FAILED', 'MALFORMED_JSON', 'BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']),
    );
    expect(buy['409']?.['x-crest-error-codes']).toEqual(expect.arrayContaining(['SOLD_OUT', 'IDEMPOTENCY_KEY_REUSED']));
    expect(buy['503']?.['x-crest-error-codes']).toEqual(expect.arrayContaining(['OUTCOME_UNKNOWN', 'ENQUEUE_FAILED']));
    expect(buy['503']?.headers?.['Retry-After']?.required).toBe(true);
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
  });

  it('has examples that match their schemas', () => {
    const check = schemaValidator();
    let checked = 0;
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        const request = operation.requestBody?.content['application/json'];
        if (request?.example !== undefined) {
          expect(check(String(request.schema.$ref), request.example), operation.operationId).toEqual([]);
          checked++;
        }
        for (const response of Object.values(operation.responses)) {
          const media = response.content?.['application/json'];
          if (media?.example !== undefined) {
            expect(check(String(media.schema.$ref), media.example), operation.operationId).toEqual([]);
            checked++;
          }
        }
      }
    }
    for (const [name, example] of Object.entries(document.components.examples)) {
      expect(check('#/components/schemas/Error', example.value), name).toEqual([]);
    }
    expect(checked).toBeGreaterThanOrEqual(Object.keys(API_ROUTES).length);
  });

  it('is what clients/openapi.json and the client types hold (run `npm run contract` after changing the contract)', async () => {
    expect(await staleContractFiles()).toEqual([]);
  });
});
