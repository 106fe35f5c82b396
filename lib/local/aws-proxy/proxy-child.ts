/**
 * The local AWS proxies' own process (see aws-proxies.ts): the DynamoDB proxy (counting and the
 * partition ceiling) and the fauxqs proxy (counting), off the event loop of the functions they
 * measure. It lives exactly as long as its IPC channel to the runtime.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallCounter } from './call-counts.js';
import { type CeilingSettings, DynamoDbProxy } from './dynamodb-proxy.js';
import { MessagingProxy } from './messaging-proxy.js';

export type ProxyRequest =
  | { type: 'start'; dynamodb: string; messaging: string; ceiling: CeilingSettings | null }
  | { type: 'configure'; ceiling: CeilingSettings | null }
  | { type: 'counts'; id: number };

export type ProxyReply =
  | { type: 'ready'; dynamodbPort: number; messagingPort: number }
  | { type: 'counts'; id: number; counts: ReturnType<CallCounter['snapshot']> };

const counter = new CallCounter();
let dynamo: DynamoDbProxy | undefined;

const listen = (handler: http.RequestListener) =>
  new Promise<number>((resolve) => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

process.on('message', async (message: ProxyRequest) => {
  const reply = (m: ProxyReply) => process.send?.(m);
  switch (message.type) {
    case 'start': {
      dynamo = new DynamoDbProxy(message.dynamodb, counter, message.ceiling);
      const messaging = new MessagingProxy(message.messaging, counter);
      const [dynamodbPort, messagingPort] = await Promise.all([
        listen((req, res) => dynamo?.handle(req, res)),
        listen((req, res) => messaging.handle(req, res)),
      ]);
      reply({ type: 'ready', dynamodbPort, messagingPort });
      break;
    }
    case 'configure':
      dynamo?.configure(message.ceiling);
      break;
    case 'counts':
      reply({ type: 'counts', id: message.id, counts: counter.snapshot() });
      break;
  }
});
process.once('disconnect', () => process.exit(0));
