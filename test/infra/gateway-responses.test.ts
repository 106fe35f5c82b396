import { describe, expect, it } from 'vitest';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders, gatewayResponseTemplate } from '../../lib/gateway-responses.js';
import { synth } from '../helpers/synth.js';

interface GatewayResponseProps {
  ResponseType: string;
  StatusCode?: string;
  ResponseParameters?: Record<string, string>;
  ResponseTemplates?: Record<string, string>;
}

/**
 * What API Gateway substitutes in a gateway response template: the message arrives quoted, the
 * validation string unquoted (substituted into a JSON string here).
 */
function render(vtl: string, message = 'Forbidden', validation = '[object has missing required properties (["quantity"])]'): unknown {
  return JSON.parse(
    vtl
      .replace('$context.error.messageString', JSON.stringify(message))
      .replace('$context.error.validationErrorString', JSON.stringify(validation).slice(1, -1))
      .replace('$context.requestId', 'req-1'),
  );
}

const ERRORS = Object.values(GATEWAY_ERRORS) as GatewayError[];

describe('gateway responses in the template', () => {
  const { template } = synth({ dax: false });
  const responses = new Map(
    Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => {
      const props = r.Properties as GatewayResponseProps;
      return [props.ResponseType, props];
    }),
  );

  it('configures every response type Crest answers for, the ones a client must tell apart among them', () => {
    for (const type of [
      'WAF_FILTERED',
      'REQUEST_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'UNAUTHORIZED',
      'INTEGRATION_TIMEOUT',
      'THROTTLED',
    ]) {
      expect(responses.has(type), type).toBe(true);
    }
    expect([...responses.keys()].sort()).toEqual(ERRORS.map((e) => e.type).sort());
  });

  it('sets no status on DEFAULT_4XX and DEFAULT_5XX, so every other type keeps its own', () => {
    expect(responses.get('DEFAULT_4XX')?.StatusCode).toBeUndefined();
    expect(responses.get('DEFAULT_5XX')?.StatusCode).toBeUndefined();
  });

  it('overrides a status only where Crest means to (an unknown route is 404, a bad token 401)', () => {
    const overridden = Object.fromEntries([...responses].filter(([, r]) => r.StatusCode).map(([type, r]) => [type, r.StatusCode]));
    expect(overridden).toEqual({ MISSING_AUTHENTICATION_TOKEN: '404', EXPIRED_TOKEN: '401', INVALID_SIGNATURE: '401' });
  });

  it('sends Retry-After with every 429 (stage throttling; the WAF sends its own)', () => {
    const tooMany = ERRORS.filter((e) => e.status === 429);
    expect(tooMany.map((e) => e.type).sort()).toEqual(['THROTTLED']);
    for (const error of tooMany) {
      const seconds = responses.get(error.type)?.ResponseParameters?.['gatewayresponse.header.retry-after'];
      expect(seconds, error.type).toMatch(/^'[1-9][0-9]*'$/);
    }
  });

  it('answers every type in the Crest error shape, uncached', () => {
    for (const [type, response] of responses) {
      const body = render(response.ResponseTemplates?.['application/json'] ?? '');
      const details = type.startsWith('BAD_REQUEST_') ? { details: expect.any(String) } : {};
      expect(body, type).toEqual({
        error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String), ...details },
        requestId: 'req-1',
      });
      expect(response.ResponseParameters?.['gatewayresponse.header.cache-control'], type).toBe("'no-store'");
    }
  });

  it('answers a missing Idempotency-Key with BAD_REQUEST_PARAMETERS, the gateway’s message and the validator’s findings', () => {
    const body = render(
      responses.get('BAD_REQUEST_PARAMETERS')?.ResponseTemplates?.['application/json'] ?? '',
      'Missing required request parameters: [Idempotency-Key]',
      'Missing required request parameters: [Idempotency-Key]',
    );
    expect(body).toEqual({
      error: {
        code: 'BAD_REQUEST_PARAMETERS',
        message: 'Missing required request parameters: [Idempotency-Key]',
        details: 'Missing required request parameters: [Idempotency-Key]',
      },
      requestId: 'req-1',
    });
  });

  it('answers a body the model refuses with BAD_REQUEST_BODY and the validator’s findings in details', () => {
    const body = render(responses.get('BAD_REQUEST_BODY')?.ResponseTemplates?.['application/json'] ?? '', 'Invalid request body');
    expect(body).toEqual({
      error: {
        code: 'BAD_REQUEST_BODY',
        message: 'Invalid request body',
        details: '[object has missing required properties (["quantity"])]',
      },
      requestId: 'req-1',
    });
  });

  it('tells the client a gateway 5xx may have taken effect, and how to find out', () => {
    for (const type of ['INTEGRATION_TIMEOUT', 'INTEGRATION_FAILURE', 'DEFAULT_5XX']) {
      const body = render(responses.get(type)?.ResponseTemplates?.['application/json'] ?? '') as {
        error: { code: string; message: string };
      };
      expect(body.error.code, type).toBe('OUTCOME_UNKNOWN');
      expect(body.error.message, type).toMatch(/may or may not have taken effect; retry with the same Idempotency-Key/);
    }
  });
});

describe('gatewayResponseTemplate', () => {
  it('uses the gateway’s own message unless a fixed one is given', () => {
    expect(render(gatewayResponseTemplate(GATEWAY_ERRORS.throttled), 'Too Many Requests')).toMatchObject({
      error: { code: 'THROTTLED', message: 'Too Many Requests' },
    });
    expect(render(gatewayResponseTemplate(GATEWAY_ERRORS.requestTooLarge), 'ignored')).toMatchObject({
      error: { code: 'REQUEST_TOO_LARGE', message: 'Request body is larger than 10 MB' },
    });
  });
});

describe('gatewayResponseHeaders', () => {
  it('adds Retry-After only where a retry delay is known', () => {
    expect(gatewayResponseHeaders(GATEWAY_ERRORS.throttled)).toEqual({ 'cache-control': 'no-store', 'retry-after': '1' });
    expect(gatewayResponseHeaders(GATEWAY_ERRORS.badRequestBody)).toEqual({ 'cache-control': 'no-store' });
  });
});
