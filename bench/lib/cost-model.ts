/**
 * Crest's cost and capacity model: what the local runtime counted per buy attempt, per decided
 * deduction and per product read (bench/flash.ts measures it through the local AWS proxies and the
 * Lambda host), priced with public on-demand prices, and projected onto AWS's quotas. Writes
 * docs/capacity.md and its chart. `npm run bench:cost` regenerates the document from the last
 * measurement (bench/results/flash.json) without measuring again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../../lib/build/functions.js';
import type { CallStats } from '../../lib/local/aws-proxies.js';
import { barChart, formatNumber, lineChart } from './svg.js';

/** Public on-demand prices, US East (N. Virginia), as the cited pages state them. */
export const PRICES = {
  region: 'us-east-1 (US East, N. Virginia)',
  asOf: 'prices as published on the pages below when this model was written (2026-11); DynamoDB on-demand after the 1 November 2024 price reduction',
  apiGatewayRestPerMillion: 3.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoWriteUnitsPerMillion: 0.625,
  dynamoReadUnitsPerMillion: 0.125,
  sqsRequestsPerMillion: 0.4,
  sources: [
    ['API Gateway REST: $3.50 per million (first 333 million a month)', 'https://aws.amazon.com/api-gateway/pricing/'],
    [
      'Lambda: $0.20 per million requests; Arm $0.0000133334 per GB-second (first 7.5 billion GB-s)',
      'https://aws.amazon.com/lambda/pricing/',
    ],
    [
      'DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read request units (GetRecords by a Lambda trigger is free)',
      'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    ],
    [
      'SQS standard: $0.40 per million requests, each 64 KB chunk of a payload billed as one request',
      'https://aws.amazon.com/sqs/pricing/',
    ],
  ] as const,
} as const;

/** AWS's default quotas the projection runs into. */
export const QUOTAS = {
  apiGatewayAccountRps: 10_000,
  lambdaAccountConcurrency: 1_000,
  /** Per function: new execution environments per 10 seconds. */
  lambdaScalingPer10s: 1_000,
  partitionWriteUnits: 1_000,
  partitionReadUnits: 3_000,
  sqsEventSourceMaxConcurrency: 1_000,
  sources: [
    [
      'API Gateway: 10,000 requests per second per account and Region (raisable)',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    ],
    [
      'Lambda: 1,000 concurrent executions per account and Region by default; each function scales by 1,000 environments every 10 s',
      'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
    ],
    [
      'DynamoDB: 1,000 write and 3,000 read units per second per partition',
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html',
    ],
    [
      'SQS standard queues: a nearly unlimited number of calls per second per action; the SQS event source runs at most MaximumConcurrency (2–1,000) batches at once',
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
    ],
  ] as const,
} as const;

/** One part of a design as measured: its AWS calls, and its invocations with their billed time. */
export interface MeasuredPart {
  /** `service.Operation` → what was counted. */
  calls: Record<string, CallStats>;
  invocations: number;
  billedMs: number;
  memoryMb: number;
}

/** What bench:flash measured and the model prices (stored in flash.json as `costInputs`). */
export interface CostInputs {
  measuredAt: string;
  machine: string;
  commit: string;
  crest: { attempts: number; accepted: number; decided: number; ingest: MeasuredPart; decide: MeasuredPart; streams: MeasuredPart };
  naive: { attempts: number; succeeded: number; ingest: MeasuredPart; streams: MeasuredPart };
  reads: { reads: number; serve: MeasuredPart };
  /** Mean billed ms per invocation measured one request at a time (no queueing on this machine's cores). */
  quietMs: { ingest: number; naive: number; read: number };
  consumer: { concurrency: number; batchSize: number; msPerBatch: number };
}

interface Priced {
  apiGateway: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamodb: number;
  sqs: number;
  total: number;
}

const perMillion = (n: number) => n / 1e6;

/** $ for `units` of a part, with Lambda duration from `msPerInvocation` (the quiet figure, or measured). */
function price(part: MeasuredPart, apiRequests: number, msPerInvocation?: number): Priced {
  const calls = Object.entries(part.calls);
  const sum = (pick: (op: string, s: CallStats) => number) => calls.reduce((t, [op, s]) => t + pick(op, s), 0);
  const readUnits = sum((op, s) => (op.startsWith('dynamodb.') ? s.readUnits : 0));
  const writeUnits = sum((op, s) => (op.startsWith('dynamodb.') ? s.writeUnits : 0));
  const sqsRequests = sum((op, s) => (op.startsWith('sqs.') ? s.billedRequests : 0));
  const ms = msPerInvocation === undefined ? part.billedMs : msPerInvocation * part.invocations;
  const priced = {
    apiGateway: perMillion(apiRequests) * PRICES.apiGatewayRestPerMillion,
    lambdaRequests: perMillion(part.invocations) * PRICES.lambdaRequestsPerMillion,
    lambdaDuration: (ms / 1000) * (part.memoryMb / 1024) * PRICES.lambdaArmPerGbSecond,
    dynamodb: perMillion(readUnits) * PRICES.dynamoReadUnitsPerMillion + perMillion(writeUnits) * PRICES.dynamoWriteUnitsPerMillion,
    sqs: perMillion(sqsRequests) * PRICES.sqsRequestsPerMillion,
    total: 0,
  };
  priced.total = priced.apiGateway + priced.lambdaRequests + priced.lambdaDuration + priced.dynamodb + priced.sqs;
  return priced;
}

const scale = (p: Priced, factor: number): Priced =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v * factor])) as unknown as Priced;
const add = (...ps: Priced[]): Priced =>
  ps.reduce(
    (a, p) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Priced] + p[k as keyof Priced]])) as unknown as Priced,
    { apiGateway: 0, lambdaRequests: 0, lambdaDuration: 0, dynamodb: 0, sqs: 0, total: 0 },
  );

/** Calls of a part per unit (attempt, decision, read), as "op ×n (units)" lines. */
function perUnit(part: MeasuredPart, units: number): Array<{ op: string; calls: number; read: number; write: number; sqs: number }> {
  return Object.entries(part.calls)
    .filter(([, s]) => s.calls > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, s]) => ({
      op,
      calls: s.calls / units,
      read: s.readUnits / units,
      write: s.writeUnits / units,
      sqs: s.billedRequests / units,
    }));
}

export interface Projection {
  attemptsPerSecond: number;
  crest: { ingestConcurrency: number; secondsToScale: number; flagReadUnits: number; limits: string[]; drain1MSeconds: number };
  naive: { throttledShare: number; limits: string[] };
}

/**
 * AWS-side projection for one hot SKU at `rate` attempts per second. Crest: ingest concurrency is
 * rate × ingest time; every warm ingest container reads the SKU's sold-out flag about once a
 * second (an eventually consistent read, half a unit) on the SKU's partition; the consumer decides
 * N × batch per batch time. Naive: every attempt writes the SKU's stock item (one write unit
 * even when its condition fails).
 */
export function project(rate: number, inputs: CostInputs, consumerConcurrency: number): Projection {
  const ingestSeconds = Math.max(inputs.quietMs.ingest, 1) / 1000;
  const ingestConcurrency = rate * ingestSeconds;
  const flagReadUnits = ingestConcurrency * 0.5;
  const decisionsPerSecond = decisionRate(inputs, consumerConcurrency, inputs.consumer.batchSize);
  const crestLimits: string[] = [];
  if (rate >= QUOTAS.apiGatewayAccountRps) crestLimits.push(`API Gateway account rate (${formatNumber(QUOTAS.apiGatewayAccountRps)}/s)`);
  if (ingestConcurrency + consumerConcurrency > QUOTAS.lambdaAccountConcurrency)
    crestLimits.push(
      `Lambda account concurrency (${formatNumber(ingestConcurrency + consumerConcurrency)} > ${formatNumber(QUOTAS.lambdaAccountConcurrency)})`,
    );
  if (flagReadUnits > QUOTAS.partitionReadUnits)
    crestLimits.push(
      `hot partition reads of the sold-out flag (${formatNumber(flagReadUnits)} > ${formatNumber(QUOTAS.partitionReadUnits)} RRU/s)`,
    );
  const naiveLimits = [`hot partition writes (${formatNumber(rate)} > ${formatNumber(QUOTAS.partitionWriteUnits)} WRU/s)`];
  if (rate >= QUOTAS.apiGatewayAccountRps) naiveLimits.push(`API Gateway account rate (${formatNumber(QUOTAS.apiGatewayAccountRps)}/s)`);
  return {
    attemptsPerSecond: rate,
    crest: {
      ingestConcurrency,
      secondsToScale: Math.ceil(ingestConcurrency / QUOTAS.lambdaScalingPer10s) * 10,
      flagReadUnits,
      limits: crestLimits.length ? crestLimits : ['none: every quota above the load'],
      drain1MSeconds: Math.max(1e6 / rate, 1e6 / decisionsPerSecond),
    },
    naive: { throttledShare: Math.max(0, 1 - QUOTAS.partitionWriteUnits / rate), limits: naiveLimits },
  };
}

/**
 * Decisions per second for one hot SKU: N consumers each deciding a batch per batch time, and no
 * more than the stock item's partition allows while there is stock (each transaction writes it
 * twice, for up to 49 successes).
 */
export function decisionRate(inputs: CostInputs, concurrency: number, batchSize: number): number {
  const perBatchSeconds = Math.max(inputs.consumer.msPerBatch, 1) / 1000;
  return (concurrency * batchSize) / perBatchSeconds;
}

const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);
const fmt = (n: number, digits = 2) => (n === 0 ? '0' : n < 0.01 ? n.toExponential(1) : Number(n.toFixed(digits)).toString());

/** Renders docs/capacity.md (and docs/capacity-limits.svg, docs/capacity-drain.svg) from measured inputs. */
export async function writeCapacityDoc(inputs: CostInputs): Promise<string> {
  const c = inputs.crest;
  const n = inputs.naive;
  const r = inputs.reads;
  // Per million buy attempts. Crest: every attempt pays the gateway and the ingest function; the
  // consumer and the stream processor run per decided request.
  const million = 1e6;
  const crestIngest = scale(price(c.ingest, c.attempts, inputs.quietMs.ingest), million / c.attempts);
  const crestDecide = scale(price(c.decide, 0), million / c.attempts);
  const crestStreams = scale(price(c.streams, 0), million / c.attempts);
  const crestTotal = add(crestIngest, crestDecide, crestStreams);
  const naiveIngest = scale(price(n.ingest, n.attempts, inputs.quietMs.naive), million / n.attempts);
  const naiveStreams = scale(price(n.streams, 0), million / n.attempts);
  const naiveTotal = add(naiveIngest, naiveStreams);
  const readCost = scale(price(r.serve, r.reads, inputs.quietMs.read), million / r.reads);
  const rates = [10_000, 100_000, 500_000];
  const concurrency = inputs.consumer.concurrency;
  const projections = rates.map((rate) => project(rate, inputs, concurrency));

  const costRow = (name: string, p: Priced) =>
    `| ${name} | ${usd(p.apiGateway)} | ${usd(p.lambdaRequests)} | ${usd(p.lambdaDuration)} | ${usd(p.dynamodb)} | ${usd(p.sqs)} | **${usd(p.total)}** |`;
  const callRows = (label: string, part: MeasuredPart, units: number) =>
    perUnit(part, units).map(
      (u) => `| ${label} | \`${u.op}\` | ${fmt(u.calls, 3)} | ${fmt(u.read, 3)} | ${fmt(u.write, 3)} | ${u.sqs ? fmt(u.sqs, 3) : ''} |`,
    );
  const lambdaRow = (label: string, part: MeasuredPart, units: number, quiet?: number) =>
    `| ${label} | ${fmt(part.invocations / units, 3)} | ${fmt(part.billedMs / Math.max(1, part.invocations), 1)} | ${quiet === undefined ? '' : fmt(quiet, 1)} | ${part.memoryMb} |`;

  const limitsSvg = limitsChart(inputs);
  const drainSvg = drainChart(inputs);
  const docs = path.join(ROOT, 'docs');
  await mkdir(docs, { recursive: true });
  await writeFile(path.join(docs, 'capacity-limits.svg'), limitsSvg);
  await writeFile(path.join(docs, 'capacity-drain.svg'), drainSvg);

  const lines = [
    '# Cost and capacity',
    '',
    '<!-- Generated by `npm run bench:cost` (from bench/results/flash.json) or `npm run bench:flash`; edit bench/lib/cost-model.ts, not this file. -->',
    '',
    `Measured ${inputs.measuredAt} on ${inputs.machine}, commit ${inputs.commit}, by \`npm run bench:flash\`: the local`,
    'runtime counted every AWS call through its proxies in front of DynamoDB Local and fauxqs (by caller and',
    'operation, with the request units and SQS requests AWS bills; `lib/local/aws-proxies.ts`), and every Lambda',
    'invocation with its billed milliseconds (`lib/local/lambda-host.ts`). Counts are per unit of work; prices',
    `are public on-demand prices, ${PRICES.region}, ${PRICES.asOf}.`,
    '',
    '## What one buy attempt, one decision and one read cost in calls',
    '',
    `Crest: ${c.attempts} attempts, ${c.accepted} accepted (202), ${c.decided} decided. Naive: ${n.attempts} attempts, ${n.succeeded} succeeded.`,
    `Reads: ${r.reads} product reads over a warm in-process cache. Units are per attempt (ingest, naive), per decided deduction (consumer, stream), per read.`,
    '',
    '| Part | Call | Calls | Read units | Write units | SQS billed requests |',
    '|---|---|---|---|---|---|',
    ...callRows('Crest ingest, per attempt', c.ingest, c.attempts),
    ...callRows('Crest consumer, per decided', c.decide, Math.max(1, c.decided)),
    ...callRows('Crest stream upkeep, per decided', c.streams, Math.max(1, c.decided)),
    ...callRows('Naive, per attempt', n.ingest, n.attempts),
    ...callRows('Naive stream upkeep, per attempt', n.streams, n.attempts),
    ...callRows('Product read, per read', r.serve, r.reads),
    '',
    '| Function | Invocations per unit | Billed ms per invocation (burst, this machine) | Billed ms per invocation (one at a time) | Memory MB |',
    '|---|---|---|---|---|',
    lambdaRow('deductions-api, per attempt', c.ingest, c.attempts, inputs.quietMs.ingest),
    lambdaRow('deduction-consumer, per decided', c.decide, Math.max(1, c.decided)),
    lambdaRow('catalog-stream, per decided (Crest)', c.streams, Math.max(1, c.decided)),
    lambdaRow('naive-deductions, per attempt', n.ingest, n.attempts, inputs.quietMs.naive),
    lambdaRow('product-read, per read', r.serve, r.reads, inputs.quietMs.read),
    '',
    'Billed milliseconds under the burst are what one process hosting every concurrent invocation on two shared cores',
    'makes of them: an upper bound. The prices below use the one-at-a-time figure for the request-path functions and',
    'the burst figure for the consumer (it runs at most N at once even here).',
    '',
    '## Dollars per million',
    '',
    '| Per million buy attempts | API Gateway | Lambda requests | Lambda duration | DynamoDB | SQS | Total |',
    '|---|---|---|---|---|---|---|',
    costRow('Crest: ingest', crestIngest),
    costRow('Crest: consumer (decisions)', crestDecide),
    costRow('Crest: stream upkeep', crestStreams),
    costRow('**Crest**', crestTotal),
    costRow('Naive: direct write', naiveIngest),
    costRow('Naive: stream upkeep', naiveStreams),
    costRow('**Naive**', naiveTotal),
    '',
    '| Per million product reads | API Gateway | Lambda requests | Lambda duration | DynamoDB | SQS | Total |',
    '|---|---|---|---|---|---|---|',
    costRow('product-read (L1 cache in the function)', readCost),
    '',
    'Not in these figures: Cognito (priced per monthly active user, not per request), WAF ($0.60 per million requests',
    'plus rules), CloudWatch Logs ingestion, data transfer out, and storage. The naive design looks cheaper per attempt',
    'because it does less per attempt; on AWS most of its attempts at a hot SKU are throttled (below), so the',
    'comparison that matters is what each design can serve, not what one call costs.',
    '',
    '## Capacity on AWS, one hot SKU',
    '',
    `Consumer: concurrency ${concurrency}, batches of ${inputs.consumer.batchSize}, ${fmt(inputs.consumer.msPerBatch, 0)} ms per batch measured here`,
    `(an upper bound for AWS). Decisions per second per hot SKU = concurrency × batch size / batch time:`,
    '',
    '| Consumer concurrency | Batch size | Decisions / s (this machine’s batch time) | Time to decide 1M attempts |',
    '|---|---|---|---|',
    ...[5, 50, 200, 1000].flatMap((conc) =>
      [10, 100].map((b) => {
        const rate = decisionRate(inputs, conc, b);
        return `| ${conc} | ${b} | ${formatNumber(rate)} | ${formatDuration(1e6 / rate)} |`;
      }),
    ),
    '',
    'While stock lasts each decision transaction writes the stock item twice (a transactional write) for up to 49',
    `successes, so the stock item’s partition allows ${formatNumber((QUOTAS.partitionWriteUnits / 2) * 49)} successful decisions per second: far above any`,
    'consumer concurrency here. Rejections after the sell-out write only the requests’ own items.',
    '',
    `| Attempts / s | Crest ingest concurrency | Crest: limit hit first | Crest: time to decide 1M (concurrency ${concurrency}) | Naive: limit hit first | Naive: attempts throttled |`,
    '|---|---|---|---|---|---|',
    ...projections.map(
      (p) =>
        `| ${formatNumber(p.attemptsPerSecond)} | ${formatNumber(p.crest.ingestConcurrency)} (${p.crest.secondsToScale} s to scale) | ${p.crest.limits.join('; ')} | ${formatDuration(p.crest.drain1MSeconds)} | ${p.naive.limits.join('; ')} | ${(p.naive.throttledShare * 100).toFixed(1)}% |`,
    ),
    '',
    `Ingest concurrency = attempts/s × ${fmt(inputs.quietMs.ingest, 1)} ms (the ingest function's one-at-a-time billed time here, against`,
    `emulators on loopback; it grows linearly with the time on AWS: at 20 ms per invocation every concurrency and flag-read`,
    `figure above is ${fmt(20 / Math.max(inputs.quietMs.ingest, 1), 1)}× larger). Every warm`,
    'ingest container reads the SKU’s sold-out flag about once a second (half a read unit, eventually consistent), all',
    'on the SKU’s partition. SQS standard queues have no practical rate limit here. Raising the API Gateway account',
    'rate and the Lambda concurrency quota (Service Quotas) is the first step for a sale above 10k attempts/s; above',
    '~6,000 warm ingest containers the flag reads need spreading (e.g. a longer flag cache, or the flag copied under',
    'several keys).',
    '',
    '![Attempts per second each limit allows](capacity-limits.svg)',
    '',
    '![Time to decide 1M attempts by consumer concurrency](capacity-drain.svg)',
    '',
    '## Sources',
    '',
    ...[...PRICES.sources, ...QUOTAS.sources].map(([what, url]) => `- ${what}: ${url}`),
    '',
  ];
  const text = lines.join('\n');
  await writeFile(path.join(docs, 'capacity.md'), text);
  return text;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Attempts per second each limit allows for one hot SKU, beside the loads the seeds talk about. */
function limitsChart(inputs: CostInputs): string {
  const ingestSeconds = Math.max(inputs.quietMs.ingest, 1) / 1000;
  return barChart({
    title: 'One hot SKU: buy attempts per second each limit allows (default quotas)',
    xLabel: 'attempts per second (log scale)',
    logX: true,
    bars: [
      { label: 'API Gateway account rate', value: QUOTAS.apiGatewayAccountRps, color: '#ff7f0e' },
      {
        label: 'Lambda account concurrency (Crest ingest)',
        value: QUOTAS.lambdaAccountConcurrency / ingestSeconds,
        color: '#1f77b4',
      },
      {
        label: 'Sold-out flag reads, hot partition (Crest)',
        value: QUOTAS.partitionReadUnits / 0.5 / ingestSeconds,
        color: '#2ca02c',
      },
      { label: 'Stock writes, hot partition (naive)', value: QUOTAS.partitionWriteUnits, color: '#d62728' },
    ],
    marks: [10_000, 100_000, 500_000].map((x) => ({ x, label: formatNumber(x) })),
  });
}

function drainChart(inputs: CostInputs): string {
  const concurrencies = [2, 5, 10, 20, 50, 100, 200, 500, 1000];
  return lineChart({
    title: 'Time to decide 1M attempts by consumer concurrency (this machine’s batch time)',
    xLabel: 'consumer concurrency (MaximumConcurrency)',
    yLabel: 'seconds (log scale)',
    logY: true,
    series: [10, 100].map((b) => ({
      name: `batch size ${b}`,
      points: concurrencies.map((conc) => [conc, 1e6 / decisionRate(inputs, conc, b)] as const),
    })),
  });
}
