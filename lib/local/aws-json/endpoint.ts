import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An AWS service's error as the JSON protocols carry it: `__type` names the exception the SDK
 * throws (e.g. ResourceNotFoundException).
 */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** One service behind the endpoint: the operations of its `X-Amz-Target` prefix (e.g. `secretsmanager`). */
export interface AwsJsonService {
  readonly targetPrefix: string;
  /** Answers `operation` (e.g. `GetSecretValue`) for `input`, or throws AwsJsonError. */
  handle(operation: string, input: Record<string, unknown>): Promise<unknown>;
}

export interface AwsJsonEndpoint {
  url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP endpoint speaking the AWS JSON 1.0/1.1 protocols (POST `/`, the operation in
 * `X-Amz-Target: <prefix>.<Operation>`, JSON in and out) for the services the local runtime
 * emulates itself. Functions reach it through `AWS_ENDPOINT_URL_<SERVICE>`, so they use the very
 * SDK calls they make in AWS. Requests are not signature-checked: nothing here is a secret worth
 * keeping from this machine.
 */
export async function startAwsJsonEndpoint(services: readonly AwsJsonService[], host = '127.0.0.1'): Promise<AwsJsonEndpoint> {
  const byPrefix = new Map(services.map((s) => [s.targetPrefix.toLowerCase(), s]));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(req, Buffer.concat(chunks).toString('utf8')).then(({ status, body }) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) }).end(text);
      });
    });
  });

  async function answer(req: http.IncomingMessage, text: string): Promise<{ status: number; body: unknown }> {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      const service = byPrefix.get(target.slice(0, dot).toLowerCase());
      if (req.method !== 'POST' || dot < 0 || !service) throw new AwsJsonError('UnknownOperationException', `No operation ${target} here`);
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new AwsJsonError('SerializationException', 'The request body is not JSON');
      }
      return { status: 200, body: (await service.handle(target.slice(dot + 1), (input ?? {}) as Record<string, unknown>)) ?? {} };
    } catch (error) {
      const e = error instanceof AwsJsonError ? error : new AwsJsonError('InternalFailure', (error as Error).message, 500);
      return { status: e.status, body: { __type: e.type, message: e.message } };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
