import http from 'node:http';
import type { CallCounter } from './call-counts.js';
import { CALLER_HEADER } from './dynamodb-proxy.js';

/** SQS bills each 64 KB chunk of a request's payload as one request (https://aws.amazon.com/sqs/pricing/). */
const SQS_CHUNK_BYTES = 64 * 1024;

/**
 * A counting HTTP proxy in front of fauxqs (SQS and S3 on one port): every call by caller and
 * operation, SQS requests as billed. Responses stream through untouched.
 */
export class MessagingProxy {
  private readonly upstream: URL;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });

  constructor(
    upstream: string,
    private readonly counter: CallCounter,
  ) {
    this.upstream = new URL(upstream);
  }

  close(): void {
    this.agent.destroy();
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const caller = req.headers[CALLER_HEADER] as string | undefined;
      const operation = operationOf(req, body);
      const headers: http.OutgoingHttpHeaders = { ...req.headers };
      delete headers[CALLER_HEADER];
      const upstream = http.request(
        { agent: this.agent, host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers },
        (answer) => {
          this.counter.record(caller, operation, {
            calls: 1,
            bytes: body.length,
            errors: (answer.statusCode ?? 500) >= 400 ? 1 : 0,
            billedRequests: operation.startsWith('sqs.') ? Math.max(1, Math.ceil(body.length / SQS_CHUNK_BYTES)) : 0,
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`local messaging proxy: ${error.message}`);
      });
      upstream.end(body);
    });
  }
}

/** `sqs.SendMessage` (JSON protocol target, or the query protocol's Action), else `s3.<operation>` from the REST call. */
export function operationOf(req: Pick<http.IncomingMessage, 'headers' | 'method' | 'url'>, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonSQS.')) return `sqs.${target.slice('AmazonSQS.'.length)}`;
  const action = /(?:^|&)Action=(\w+)/.exec(body.toString('latin1', 0, Math.min(body.length, 512)))?.[1];
  if (action) return `sqs.${action}`;
  const url = new URL(req.url ?? '/', 'http://local');
  const segments = url.pathname.split('/').filter(Boolean);
  const q = url.searchParams;
  const onObject = segments.length > 1;
  switch (req.method) {
    case 'GET':
      if (!onObject) return q.get('list-type') === '2' ? 's3.ListObjectsV2' : segments.length ? 's3.ListObjects' : 's3.ListBuckets';
      return q.has('tagging') ? 's3.GetObjectTagging' : 's3.GetObject';
    case 'HEAD':
      return onObject ? 's3.HeadObject' : 's3.HeadBucket';
    case 'PUT':
      if (!onObject) return 's3.CreateBucket';
      if (q.has('tagging')) return 's3.PutObjectTagging';
      return req.headers['x-amz-copy-source'] ? 's3.CopyObject' : 's3.PutObject';
    case 'DELETE':
      return onObject ? 's3.DeleteObject' : 's3.DeleteBucket';
    case 'POST':
      return q.has('delete') ? 's3.DeleteObjects' : 's3.PostObject';
    default:
      return `s3.${req.method ?? 'UNKNOWN'}`;
  }
}
