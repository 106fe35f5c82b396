import { describe, expect, it } from 'vitest';
import { CORS_ENV } from '../../lambdas/http/cors.js';
import { nagFindings, synth } from '../helpers/synth.js';

type Props = Record<string, unknown>;
const ORIGINS = ['https://shop.example', 'https://admin.example'];

describe('CORS in the template', () => {
  const off = synth({ dax: false });
  const on = synth({ dax: false, corsAllowedOrigins: ORIGINS.join(',') });
  const methods = (t: typeof on.template) => Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Props);
  const gatewayResponses = (t: typeof on.template) =>
    Object.values(t.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as Props);
  /** The functions API methods integrate with (`Fn::GetAtt [fn, Arn]` in the integration URI). */
  const apiFunctions = (t: typeof on.template) => {
    const ids = new Set(
      methods(t).flatMap((m) =>
        [...JSON.stringify((m.Integration as Props | undefined)?.Uri ?? '').matchAll(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)].map((x) => x[1]),
      ),
    );
    return Object.entries(t.findResources('AWS::Lambda::Function'))
      .filter(([id]) => ids.has(id))
      .map(([, f]) => f);
  };

  it('is off by default: no preflight, no CORS header on gateway responses, no origins for functions', () => {
    expect(methods(off.template).filter((m) => m.HttpMethod === 'OPTIONS')).toEqual([]);
    for (const r of gatewayResponses(off.template)) expect(JSON.stringify(r.ResponseParameters)).not.toContain('Access-Control');
    expect(JSON.stringify(off.template.toJSON())).not.toContain(CORS_ENV);
  });

  it('answers a preflight on every resource with a route, allowing Crest’s headers and the listed origins', () => {
    const routes = methods(on.template).filter((m) => m.HttpMethod !== 'OPTIONS');
    const preflights = methods(on.template).filter((m) => m.HttpMethod === 'OPTIONS');
    expect(preflights.length).toBe(new Set(routes.map((m) => JSON.stringify(m.ResourceId))).size);
    for (const p of preflights) {
      const [response] = (p.Integration as { IntegrationResponses: Array<{ ResponseParameters: Props; ResponseTemplates: Props }> })
        .IntegrationResponses;
      expect(response?.ResponseParameters['method.response.header.Access-Control-Allow-Headers']).toBe(
        "'Authorization,Content-Type,Idempotency-Key,If-Match,If-None-Match,x-correlation-id'",
      );
      expect(response?.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(`'${ORIGINS[0]}'`);
      expect(String(response?.ResponseTemplates['application/json'])).toContain(`$origin == "${ORIGINS[1]}"`);
      expect(p.AuthorizationType).toBe('NONE');
    }
  });

  it('lets a browser read the gateway’s own errors (401, 429, 400 from the validator)', () => {
    for (const r of gatewayResponses(on.template)) {
      expect(r.ResponseParameters, String(r.ResponseType)).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
        'gatewayresponse.header.Vary': "'Origin'",
      });
    }
  });

  it('tells every function behind the API the allowed origins, and stays cdk-nag clean', () => {
    const fns = apiFunctions(on.template);
    expect(fns.length).toBeGreaterThan(0);
    for (const f of fns) {
      const env = ((f.Properties as Props).Environment as { Variables: Props }).Variables;
      expect(env[CORS_ENV], String((f.Properties as Props).Description)).toBe(ORIGINS.join(','));
    }
    expect(nagFindings(on.annotations)).toEqual([]);
  });
});
