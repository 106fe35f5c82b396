import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../../../lambdas/domain/errors.js';
import { apiHandler } from '../../../lambdas/http/api-handler.js';
import { CORRELATION_HEADER, requestCorrelationId } from '../../../lambdas/http/correlation.js';
import { json } from '../../../lambdas/http/response.js';
import { read } from '../../../lambdas/http/router.js';
import { apiEvent, lambdaContext } from '../../helpers/events.js';

/** JSON log lines Powertools Logger writes while `work` runs, and every raw chunk written. */
async function logged(work: () => Promise<unknown>): Promise<{ lines: Array<Record<string, unknown>>; raw: string }> {
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => {
    raw += String(chunk);
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
    return true;
  }) as typeof process.stdout.write);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return { lines, raw };
}

function served(outcome: 'ok' | 'conflict') {
  const logger = new Logger({ serviceName: 'deductions-api' });
  return apiHandler(
    {
      'GET /': read(async () => {
        logger.info('serving');
        if (outcome === 'conflict') throw new ConflictError('SOLD_OUT', 'sold out');
        return json(200, { ok: true });
      }),
    },
    logger,
  );
}

describe('requestCorrelationId', () => {
  it('takes a well-formed x-correlation-id, in any header casing', () => {
    expect(requestCorrelationId(apiEvent({ headers: { 'X-Correlation-ID': 'web-7f3a.1:2_z' } }))).toBe('web-7f3a.1:2_z');
    expect(requestCorrelationId(apiEvent({ headers: { 'x-correlation-id': 'a'.repeat(128) } }))).toBe('a'.repeat(128));
  });

  it('falls back to API Gateway’s request id when the header is absent, empty or malformed', () => {
    for (const given of [undefined, '', 'a'.repeat(129), 'line\nbreak', 'tab\there', 'quote"d', 'buyer@example.com', 'sp ace', 'ünï']) {
      const event = apiEvent({ headers: given === undefined ? {} : { 'x-correlation-id': given } });
      expect(requestCorrelationId(event)).toBe(event.requestContext.requestId);
    }
  });
});

describe('correlation middleware (apiHandler)', () => {
  it('echoes the correlation id on a success and on an error answer, and puts it on every log line', async () => {
    const event = (id: string) => apiEvent({ headers: { 'x-correlation-id': id } });
    let ok: Awaited<ReturnType<ReturnType<typeof served>>> | undefined;
    let refused: typeof ok;

    const { lines } = await logged(async () => {
      ok = await served('ok')(event('corr-ok'), lambdaContext());
      refused = await served('conflict')(event('corr-409'), lambdaContext());
    });

    expect([ok?.statusCode, ok?.headers?.[CORRELATION_HEADER]]).toEqual([200, 'corr-ok']);
    expect([refused?.statusCode, refused?.headers?.[CORRELATION_HEADER]]).toEqual([409, 'corr-409']);
    expect(lines.filter((l) => l.message === 'serving').map((l) => l.correlation_id)).toEqual(['corr-ok', 'corr-409']);
  });

  it('echoes the request id on a 500, whose stack trace stays in the log', async () => {
    const logger = new Logger({ serviceName: 'deductions-api', logLevel: 'SILENT' });
    const handler = apiHandler(
      {
        'GET /': read(async () => {
          throw new Error('bug');
        }),
      },
      logger,
    );
    const event = apiEvent({});

    const res = await handler(event, lambdaContext());

    expect(res.statusCode).toBe(500);
    expect(res.headers?.[CORRELATION_HEADER]).toBe(event.requestContext.requestId);
  });

  it('attack: a forged, oversized or newline-bearing correlation id is replaced, neither echoed nor logged', async () => {
    const forged = [
      'x\n{"level":"ERROR","message":"forged"}',
      'x\r\nSet-Cookie: session=1',
      'a'.repeat(10_000),
      '"},"correlation_id":"someone-else',
    ];
    const answers: Array<{ requestId: string; echoed: string | undefined }> = [];

    const { lines, raw } = await logged(async () => {
      for (const id of forged) {
        const event = apiEvent({ headers: { 'x-correlation-id': id } });
        const res = await served('conflict')(event, lambdaContext());
        answers.push({ requestId: event.requestContext.requestId, echoed: res.headers?.[CORRELATION_HEADER] as string | undefined });
      }
    });

    for (const a of answers) expect(a.echoed).toBe(a.requestId);
    expect(lines.filter((l) => l.message === 'serving').map((l) => l.correlation_id)).toEqual(answers.map((a) => a.requestId));
    expect(lines.some((l) => l.message === 'forged')).toBe(false);
    for (const id of forged) expect(raw).not.toContain(id.slice(0, 40));
  });
});
