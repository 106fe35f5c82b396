/**
 * `npm start`: the whole stack on this machine, no AWS account and no Docker.
 *
 *   PORT=3000  DYNAMODB_PORT=0  FAUXQS_PORT=0  HOLD_SECONDS=600  PARTITION_CEILING=off  npm start
 *   CORS_ALLOWED_ORIGINS=http://localhost:5173 npm start    (context corsAllowedOrigins)
 *
 * PARTITION_CEILING puts DynamoDB's per-partition limits in front of DynamoDB Local: `on` (1,000
 * write and 3,000 read units per second per partition key value, as on AWS) or `<write>/<read>`
 * units per second (e.g. `100/300`); see lib/local/aws-proxies.ts.
 *
 * HOLD_SECONDS is the hold window (context holdSeconds, 30–3600): HOLD_SECONDS=30 shows a hold
 * expire within a demo.
 * The port opens, and the banner prints, only once every route answers as documented. Ctrl-C,
 * SIGTERM, SIGHUP or the parent process going away stop everything this started.
 */
import { parseCeiling } from '../lib/local/aws-proxies.js';
import { DEMO_FEED, DEMO_SKU, FLASH_SKU } from '../lib/local/demo-data.js';
import { JavaMissingError } from '../lib/local/dynamodb-local.js';
import { type LocalRuntime, startLocalRuntime } from '../lib/local/runtime.js';
import { PortInUseError } from '../lib/local/tcp-ports.js';

// A closed terminal (SIGHUP) turns writes to it into errors; they must not stop the shutdown.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    console.error(`[crest] ${name} must be a port number (0-65535), got "${raw}"`);
    process.exit(2);
  }
  return n;
};

const port = int('PORT', 3000);
let partitionCeiling: ReturnType<typeof parseCeiling>;
try {
  partitionCeiling = parseCeiling(process.env.PARTITION_CEILING);
} catch (error) {
  console.error(`[crest] ${(error as Error).message}`);
  process.exit(2);
}
// Passed as context, as `-c holdSeconds=…` would be: lib/context.ts validates them at synthesis.
const context = {
  ...(process.env.HOLD_SECONDS ? { holdSeconds: process.env.HOLD_SECONDS } : {}),
  ...(process.env.CORS_ALLOWED_ORIGINS ? { corsAllowedOrigins: process.env.CORS_ALLOWED_ORIGINS } : {}),
};
const abort = new AbortController();
const starting: Promise<LocalRuntime> = startLocalRuntime({
  port,
  context,
  dynamoPort: int('DYNAMODB_PORT', 0),
  messagingPort: int('FAUXQS_PORT', 0),
  log: (line) => console.log(`[crest] ${line}`),
  progressLog: true,
  partitionCeiling,
  signal: abort.signal,
});

let stopping = false;
let stoppingSince = 0;
/**
 * Stops the runtime (or the start-up in progress) and exits. Another signal a second or more later
 * (a second Ctrl-C) exits at once; one within the second is the same Ctrl-C again (the terminal
 * signals the whole group, and npm forwards it to us too).
 */
async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) {
    // The emulators end with this process (see dynamodb-local.ts and messaging-emulator.ts).
    if (Date.now() - stoppingSince >= 1000) process.exit(code || 130);
    return;
  }
  stopping = true;
  stoppingSince = Date.now();
  console.log(`\n[crest] ${reason}: stopping…`);
  abort.abort();
  setTimeout(() => process.exit(code || 1), 15_000).unref();
  await starting.then(
    (runtime) => runtime.stop(),
    () => undefined, // a start-up that failed or was aborted has already released what it started
  );
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal, 0));
// Whoever started us going away (a killed parent, a closed session) is a stop too: we are
// re-parented, so the parent PID changes.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('parent process exited', 0);
}, 250).unref();
// A hosted function's stray rejection fails that function's work, as in Lambda, not the runtime.
process.on('unhandledRejection', (reason) => console.error('[crest] unhandled rejection in a hosted function:', reason));
process.on('uncaughtException', (error) => {
  console.error('[crest] unexpected error:', error);
  void shutdown('unexpected error', 1);
});

try {
  const runtime = await starting;
  const { url } = runtime;
  // Reads one field of the JSON answer on stdin (Node is on PATH wherever npm start runs).
  const field = (name: string) => `node -pe 'JSON.parse(fs.readFileSync(0)).${name}'`;
  const pool = runtime.identity.issuer();
  console.log(
    [
      '',
      `Crest is ready at ${url}  (ready in ${process.uptime().toFixed(1)} s: tables, demo data and feed in place, event sources idle)`,
      '',
      `  curl ${url}/v1/products/${DEMO_SKU}`,
      `  curl '${url}/v1/feeds/${DEMO_FEED}?page=1'`,
      '',
      `  # Buy as alice: a token, a deduction, its status (poll until HELD or REJECTED), then confirm it within ${runtime.holdSeconds} s (or cancel)`,
      `  TOKEN=$(curl -s -X POST ${url}/_local/tokens -d '{"username":"alice"}' | ${field('idToken')})`,
      `  ID=$(curl -s -X POST ${url}/v1/products/${FLASH_SKU}/deductions -H "Authorization: $TOKEN" \\`,
      `       -H 'Idempotency-Key: 6f1c2a9e-demo-0001' -H 'content-type: application/json' -d '{"quantity":1}' | ${field('id')})`,
      `  curl ${url}/v1/deductions/$ID -H "Authorization: $TOKEN"`,
      `  curl -X POST ${url}/v1/deductions/$ID/confirm -H "Authorization: $TOKEN"`,
      `  curl -X POST ${url}/v1/deductions/$ID/cancel -H "Authorization: $TOKEN"`,
      `  curl '${url}/_local/events?type=Deduction'   # every transition, newest first`,
      '',
      '  # An admin call: a token in the admins group',
      `  ADMIN=$(curl -s -X POST ${url}/_local/tokens -d '{"username":"ops","groups":["admins"]}' | ${field('idToken')})`,
      `  curl -X PUT ${url}/v1/admin/products/DEMO-0002/price -H "Authorization: $ADMIN" \\`,
      `       -H 'content-type: application/json' -d '{"amount":1299,"currency":"EUR"}'`,
      '',
      `  live view:     ${url}/_local/  (a sale as it happens: queue, consumers, stock, stream lag)`,
      `  routes:        ${runtime.api.routes.map((r) => `${r.method} ${r.resourcePath}${r.authorizer ? ' (token)' : ''}`).join(', ')}`,
      `  user pool:     ${pool.userPoolId} (local issuer, keys new each run), clients ${pool.pool.clients.map((c) => `${c.clientName} ${c.clientId}`).join(', ')}`,
      `  DynamoDB:      ${runtime.endpoints.dynamodb}`,
      `  SQS/S3:        ${runtime.endpoints.sqs}`,
      `  throttling:    ${runtime.api.stage.rateLimit} req/s, burst ${runtime.api.stage.burstLimit}`,
      `  partitions:    ${
        partitionCeiling
          ? `ceiling on: ${partitionCeiling.writeUnitsPerSecond} write / ${partitionCeiling.readUnitsPerSecond} read units/s per partition key value`
          : 'no ceiling (PARTITION_CEILING=on for DynamoDB’s)'
      }`,
      `  holds:         ${runtime.holdSeconds} s (HOLD_SECONDS), then EXPIRED and back in stock`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
} catch (error) {
  if (stopping) {
    // shutdown() exits once the start-up has released what it started.
  } else {
    if (error instanceof PortInUseError) {
      console.error(
        `[crest] Port ${error.port} is already in use: stop what is listening on it, or choose another with PORT=<port> npm start`,
      );
    } else if (error instanceof JavaMissingError) console.error(`\n${error.message}\n`);
    else console.error('[crest] failed to start:', error);
    process.exit(1);
  }
}
