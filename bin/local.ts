/**
 * `npm start`: the whole stack on this machine, no AWS account and no Docker.
 *
 *   PORT=3000  CREST_ADMIN_API_KEY=…  DYNAMODB_PORT=0  FAUXQS_PORT=0  npm start
 */
import { DEMO_SKU } from '../lib/local/demo-data.js';
import { JavaMissingError } from '../lib/local/dynamodb-local.js';
import { startLocalRuntime } from '../lib/local/runtime.js';

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a port number, got "${raw}"`);
    process.exit(2);
  }
  return n;
};

const started = Date.now();
try {
  const runtime = await startLocalRuntime({
    port: int('PORT', 3000),
    dynamoPort: int('DYNAMODB_PORT', 0),
    messagingPort: int('FAUXQS_PORT', 0),
    adminApiKey: process.env.CREST_ADMIN_API_KEY || 'local-admin-key',
    log: (line) => console.log(`[crest] ${line}`),
    progressLog: true,
  });
  const { url } = runtime;
  console.log(
    [
      '',
      `Crest is running at ${url}  (up in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      '',
      `  curl ${url}/v1/products/${DEMO_SKU}`,
      '',
      `  routes:        ${runtime.api.routes.map((r) => `${r.method} ${r.resourcePath}`).join(', ')}`,
      `  admin key:     x-api-key: ${runtime.adminApiKey}`,
      `  DynamoDB:      ${runtime.endpoints.dynamodb}`,
      `  SQS/S3:        ${runtime.endpoints.sqs}`,
      `  throttling:    ${runtime.api.stage.rateLimit} req/s, burst ${runtime.api.stage.burstLimit}`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[crest] ${signal}: stopping…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) console.error(`\n${error.message}\n`);
  else console.error('[crest] failed to start:', error);
  process.exit(1);
}
