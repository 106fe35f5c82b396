import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type RunningApi, startApiGateway } from './api-gateway.js';
import { DEMO_FEED, demoCatalog, flashSaleProduct, seedCatalog, seedDemoFeed } from './demo-data.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { LambdaHost } from './lambda-host.js';
import { type LocalClients, localClients, provision } from './provision.js';
import { startSchedules } from './schedules.js';
import { SqsEventSource, sqsMappingsFromTemplate } from './sqs-event-source.js';
import { startMessagingLocal } from './sqs-s3-local.js';
import { StreamEventSource, type StreamSourceStats, streamMappingsFromTemplate } from './stream-event-source.js';
import { synthLocal } from './synth.js';
import { type LocalEndpoints, LocalTemplate } from './template.js';

export interface LocalRuntimeOptions {
  /** HTTP port of the API (0 = any free port). */
  port?: number;
  /** Ports for the emulators (0 = any free port). */
  dynamoPort?: number;
  messagingPort?: number;
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Seed the demo catalog (1,000 SKUs). */
  seed?: boolean;
  /** x-api-key for admin routes; a random one is generated when absent. */
  adminApiKey?: string;
  /** Extra CDK context for the local synth (e.g. throttling). */
  context?: Record<string, unknown>;
  /** Where the cloud assembly is written (default .local/cdk.out). */
  outdir?: string;
  /** Prefix for every table/queue/bucket name (tests use one per runtime). */
  namePrefix?: string;
  /** Re-bundle the functions before synthesizing (default true; tests bundle once up front). */
  build?: boolean;
  log?: (line: string) => void;
  /** Log queue depth and consumer concurrency every 2 s while there is work (npm start). */
  progressLog?: boolean;
}

export interface LocalStatus {
  queues: Array<{
    queue: string;
    function: string;
    visible: number;
    inFlightMessages: number;
    concurrencyCap: number;
    invocationsInFlight: number;
    maxInvocationsInFlight: number;
    invocations: number;
  }>;
  streams: StreamSourceStats[];
  functions: Array<{ function: string; inFlight: number; maxInFlight: number; invocations: number; errors: number }>;
}

export interface LocalRuntime {
  url: string;
  adminApiKey: string;
  endpoints: LocalEndpoints;
  template: LocalTemplate;
  host: LambdaHost;
  api: RunningApi;
  clients: LocalClients;
  sqsSources: SqsEventSource[];
  streamSources: StreamEventSource[];
  /** Queue depths and function concurrency, as served on GET /_local/status. */
  status(): Promise<LocalStatus>;
  /** Physical (local) name of the first resource of `type` whose logical ID contains `hint`. */
  resourceName(type: string, hint: string): string;
  stop(): Promise<void>;
}

/**
 * Brings up Crest on this machine: DynamoDB Local and fauxqs, the synthesized template's tables
 * and queues, the function bundles hosted in-process, and the API on HTTP. No account, no Docker.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    log('synthesizing the stack (target=local) and bundling functions…');
    const assembly = await synthLocal({ context: options.context, outdir: options.outdir, build: options.build });

    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      log('starting DynamoDB Local…');
      const ddb = await startDynamoDbLocal({ port: options.dynamoPort });
      stops.push(ddb.stop);
      dynamoEndpoint = ddb.endpoint;
    }
    log('starting fauxqs (SQS/S3)…');
    const messaging = await startMessagingLocal({ port: options.messagingPort });
    stops.push(messaging.stop);

    const endpoints: LocalEndpoints = { dynamodb: dynamoEndpoint, sqs: messaging.endpoint, s3: messaging.endpoint };
    const template = new LocalTemplate(assembly.template, endpoints, options.namePrefix);
    const clients = localClients(template);
    log('provisioning tables, queues and buckets from the template…');
    await provision(template, clients);

    configureProcessEnv(endpoints);
    // Static feed copies are served path-style by fauxqs' S3 on this machine.
    const staticBase = `${endpoints.s3}/${template.physicalName(staticCopiesBucket(template))}`;
    const host = new LambdaHost(template, assembly.assemblyDir, (env) =>
      env.FEEDS_STATIC_BASE_URL ? { ...env, FEEDS_STATIC_BASE_URL: staticBase } : env,
    );
    await host.loadAll();

    const resourceName = (type: string, hint: string) => {
      const found = template.ofType(type).find(([id]) => id.includes(hint));
      if (!found) throw new Error(`No ${type} matching ${hint}`);
      return template.physicalName(found[0]);
    };

    const sqsSources = sqsMappingsFromTemplate(template, host).map((m) => new SqsEventSource(m, template, host, clients.sqs, log));
    for (const source of sqsSources) source.start();
    stops.push(async () => {
      await Promise.all(sqsSources.map((s) => s.stop()));
    });

    const streamSources = streamMappingsFromTemplate(template).map((m) => new StreamEventSource(m, template, host, clients, log));
    for (const source of streamSources) await source.start();
    stops.push(async () => {
      await Promise.all(streamSources.map((s) => s.stop()));
    });

    if (options.seed ?? true) {
      const doc = DynamoDBDocumentClient.from(clients.dynamodb);
      const count = await seedCatalog(doc, resourceName('AWS::DynamoDB::Table', 'Catalog'), [...demoCatalog(), flashSaleProduct()]);
      log(`seeded ${count} catalog items`);
    }

    const status = async (): Promise<LocalStatus> => ({
      queues: await Promise.all(
        sqsSources.map(async (s) => {
          const depth = await s.depth();
          return {
            queue: s.stats.queue,
            function: s.stats.function,
            visible: depth.visible,
            inFlightMessages: depth.inFlight,
            concurrencyCap: s.stats.concurrencyCap,
            invocationsInFlight: s.stats.inFlight,
            maxInvocationsInFlight: s.stats.maxInFlight,
            invocations: s.stats.invocations,
          };
        }),
      ),
      streams: streamSources.map((s) => ({ ...s.stats })),
      functions: host.all().map((f) => ({ function: f.logicalId, ...f.stats })),
    });
    if (options.progressLog) {
      const timer = setInterval(() => {
        void status().then(
          (st) => {
            for (const q of st.queues) {
              if (q.visible + q.inFlightMessages + q.invocationsInFlight === 0) continue;
              log(
                `queue ${q.queue}: ${q.visible} waiting, ${q.inFlightMessages} in flight; ${q.function} ${q.invocationsInFlight}/${q.concurrencyCap} running`,
              );
            }
          },
          () => undefined,
        );
      }, 2000);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }

    const stopSchedules = startSchedules(template, host, log);
    stops.push(async () => stopSchedules());

    const adminApiKey = options.adminApiKey ?? `local-${randomBytes(12).toString('hex')}`;
    const api = await startApiGateway(template, host, { port: options.port ?? 3000, apiKey: adminApiKey, localStatus: status });
    stops.push(api.close);
    if (options.seed ?? true) {
      const feed = await seedDemoFeed(api.url, adminApiKey);
      log(`published feed ${DEMO_FEED}: version ${feed.now} (current) and ${feed.scheduled} (goes live in 5 minutes)`);
    }

    return { url: api.url, adminApiKey, endpoints, template, host, api, clients, sqsSources, streamSources, status, resourceName, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Variables every hosted function shares: region, dummy credentials and the emulator endpoints
 * (the SDK reads AWS_ENDPOINT_URL_<SERVICE> itself).
 */
function configureProcessEnv(endpoints: LocalEndpoints): void {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
}

/** The bucket holding static feed copies. */
function staticCopiesBucket(t: LocalTemplate): string {
  const found = t.ofType('AWS::S3::Bucket').find(([id]) => id.includes('StaticCopies'));
  if (!found) throw new Error('Template has no static copies bucket');
  return found[0];
}
