import type http from 'node:http';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiDocsRoutes } from './api-docs/routes.js';
import { type RunningApi, startApiGateway } from './api-gateway/server.js';
import { type AwsJsonEndpoint, startAwsJsonEndpoint } from './aws-json/endpoint.js';
import { eventBridgeService, LocalEventLog } from './aws-json/eventbridge.js';
import { secretsManagerService } from './aws-json/secrets-manager.js';
import { type AwsProxies, type CeilingSettings, startAwsProxies } from './aws-proxies.js';
import { asCaller } from './aws-proxy/caller-tag.js';
import { DEMO_FEED, DEMO_PUBLISHER, demoCatalog, flashSaleProduct, seedCatalog, seedDemoFeed } from './demo-data.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { SqsEventSource } from './event-sources/sqs-poller.js';
import { StreamEventSource } from './event-sources/stream-poller.js';
import { LocalIdentity } from './identity/local-identity.js';
import { LambdaHost } from './lambda-host.js';
import { LiveObserver } from './live-view/observer.js';
import { liveViewRoutes } from './live-view/routes.js';
import { startMessagingEmulator } from './messaging-emulator.js';
import {
  LOCAL_CREDENTIALS,
  type LocalClients,
  type LocalEndpoints,
  localClients,
  type ProvisionedResources,
  provision,
} from './provision.js';
import { startSchedules } from './schedules.js';
import { describeStack, findByHint, type StackDescription } from './stack-description.js';
import { type LocalStatus, runtimeStatus, settle as settleSources, startProgressLog } from './status.js';
import { synthLocal } from './synth.js';
import { assertPortFree } from './tcp-ports.js';
import { LOCAL_REGION } from './template.js';

export interface LocalRuntimeOptions {
  /** HTTP port of the API (0 = any free port). */
  port?: number;
  /** Ports for the emulators (0 = any free port). */
  dynamoPort?: number;
  messagingPort?: number;
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Seed the demo catalog (1,000 SKUs) and the demo feed. */
  seed?: boolean;
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
  /**
   * Count every AWS call the hosted functions and event sources make, by caller and operation
   * with request units, through proxies in front of the emulators (`LocalRuntime.proxies`). Off
   * by default (the proxies cost a hop); implied by `partitionCeiling`.
   */
  instrument?: boolean;
  /**
   * Put DynamoDB's per-partition ceiling in front of DynamoDB Local (`AWS_CEILING`, or scaled
   * limits; see aws-proxies.ts). Off by default; `proxies.setCeiling` changes it while running.
   */
  partitionCeiling?: CeilingSettings | null;
  /** Aborting it stops a start-up in progress (at the next step) and releases what it started. */
  signal?: AbortSignal;
}

export type { LocalStatus } from './status.js';

export interface LocalRuntime {
  url: string;
  endpoints: LocalEndpoints;
  /** The template's user pools: the local issuers and authorizers (POST /_local/tokens). */
  identity: LocalIdentity;
  /**
   * An ID token for `username` (in `groups`), as `POST /_local/tokens` gives one: what the
   * `Authorization` header of a buyer or admin route carries.
   */
  token(username: string, groups?: readonly string[]): Promise<string>;
  /** The endpoint serving the services emulated in-process (Secrets Manager, EventBridge). */
  awsJsonEndpoint: string;
  /** What the functions put on the template's event buses (GET /_local/events serves it). */
  events: LocalEventLog;
  /** The hold window the template gives the deduction consumer (context holdSeconds, `HOLD_SECONDS`). */
  holdSeconds: number;
  stack: StackDescription;
  provisioned: ProvisionedResources;
  host: LambdaHost;
  api: RunningApi;
  /** Clients straight to the emulators (not counted, never throttled): for seeding and checks. */
  clients: LocalClients;
  /** The counting (and, when on, throttling) proxies the functions call through, when instrumented. */
  proxies?: AwsProxies;
  sqsSources: SqsEventSource[];
  streamSources: StreamEventSource[];
  /** From the call to startLocalRuntime until the API port opened, ready (ms). */
  readyMs: number;
  /** Queue depths and function concurrency, as served on GET /_local/status. */
  status(): Promise<LocalStatus>;
  /** What the live view at /_local/ shows (lib/local/live-view/). */
  liveView: LiveObserver;
  /**
   * Resolves once every stream record written before the call has been processed and every queue
   * is empty with no invocation in flight.
   */
  settle(timeoutMs?: number): Promise<void>;
  /** Physical (local) name of the first resource of `type` whose logical ID contains `hint`. */
  resourceName(type: 'AWS::DynamoDB::Table' | 'AWS::SQS::Queue' | 'AWS::S3::Bucket', hint: string): string;
  /** URL of the first queue whose logical ID contains `hint`. */
  queueUrl(hint: string): string;
  /** The cloud assembly the runtime hosts (`<stackName>.template.json`, `asset.<hash>/`). */
  assemblyDir: string;
  stop(): Promise<void>;
}

const API_HOST = '127.0.0.1';

/**
 * Brings up Crest on this machine: DynamoDB Local and fauxqs, the synthesized template's tables,
 * queues and buckets, the function bundles hosted in-process, the event sources and schedules,
 * and last the API on HTTP, so the port opens only when every route answers as documented: the
 * demo data seeded, the demo feed published, and nothing left for the event sources to process.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const step = (what: string) => {
    options.signal?.throwIfAborted();
    log(`${((performance.now() - started) / 1000).toFixed(1)} s  ${what}`);
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const port = options.port ?? 3000;
    await assertPortFree(port, API_HOST);

    // Synthesis is CPU work in this process; meanwhile the emulators start in theirs.
    step('synthesizing the stack (target=local), starting DynamoDB Local and fauxqs…');
    const [assembly, dynamoEndpoint, messaging] = await settledAll([
      synthLocal({ context: options.context, outdir: options.outdir, build: options.build }),
      options.dynamoEndpoint ??
        startDynamoDbLocal({ port: options.dynamoPort }).then((ddb) => {
          stops.push(ddb.stop);
          return ddb.endpoint;
        }),
      startMessagingEmulator({ port: options.messagingPort }).then((m) => {
        stops.push(m.stop);
        return m;
      }),
    ] as const);

    const endpoints: LocalEndpoints = { dynamodb: dynamoEndpoint, sqs: messaging.endpoint, s3: messaging.endpoint };
    const stack = describeStack(assembly.template, { stackName: assembly.stackName, namePrefix: options.namePrefix });
    const clients = localClients(endpoints);
    const events = new LocalEventLog(log);
    stops.push(async () => events.close());
    step('provisioning tables, queues and buckets from the template…');
    const [provisioned, identity, awsJson] = await settledAll([
      provision(stack, clients),
      LocalIdentity.create(stack.userPools),
      startAwsJsonEndpoint([secretsManagerService(stack.secrets), eventBridgeService(stack.eventBuses, events)]).then((endpoint) => {
        stops.push(endpoint.close);
        return endpoint;
      }),
    ] as const);

    let proxies: AwsProxies | undefined;
    if (options.instrument || options.partitionCeiling) {
      step(`starting the AWS proxies (call counts${options.partitionCeiling ? ', partition ceiling' : ''})…`);
      proxies = await startAwsProxies({ dynamodb: dynamoEndpoint, messaging: messaging.endpoint }, { ceiling: options.partitionCeiling });
      stops.push(proxies.stop);
    }
    // Functions and event sources call through the proxies when there are any.
    const functionEndpoints = proxies?.endpoints ?? endpoints;
    const sourceClients = proxies
      ? {
          sqs: new SQSClient({
            region: LOCAL_REGION,
            credentials: LOCAL_CREDENTIALS,
            endpoint: functionEndpoints.sqs,
            useQueueUrlAsEndpoint: false,
          }),
          dynamodbStreams: new DynamoDBStreamsClient({
            region: LOCAL_REGION,
            credentials: LOCAL_CREDENTIALS,
            endpoint: functionEndpoints.dynamodb,
          }),
        }
      : clients;
    configureProcessEnv(functionEndpoints, awsJson);
    // Static feed copies are served path-style by fauxqs' S3 on this machine.
    const staticBase = `${endpoints.s3}/${findByHint(stack.buckets, 'StaticCopies').name}`;
    const host = new LambdaHost(assembly.assemblyDir, (fn) => {
      const env = Object.fromEntries(
        Object.entries(provisioned.resolve(fn.environment) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
      return env.FEEDS_STATIC_BASE_URL ? { ...env, FEEDS_STATIC_BASE_URL: staticBase } : env;
    });
    step('loading the function bundles…');
    await host.load(stack.functions);

    if (options.seed ?? true) {
      // Seeded before the stream source starts (at LATEST, as the template's mapping says), like
      // a bulk import into a table whose mapping only sees later writes: no backlog to work off.
      // Nothing is lost by it: there is no DAX here, and until a SKU has a sold-out flag the
      // deductions fast path reads its stock item (lambdas/adapters/cached-availability.ts).
      step('seeding the demo catalog…');
      const catalog = findByHint(stack.tables, 'Catalog').name;
      const count = await seedCatalog(DynamoDBDocumentClient.from(clients.dynamodb), catalog, [...demoCatalog(), flashSaleProduct()]);
      const feed = await seedDemoFeed(stack.api.routes, host, (route) =>
        identity.claimsOf(DEMO_PUBLISHER.username, DEMO_PUBLISHER.groups, route),
      );
      step(`seeded ${count} catalog items; feed ${DEMO_FEED}: version ${feed.now} current, ${feed.scheduled} live in 5 minutes`);
    }

    const liveView = new LiveObserver(stack, { sqs: clients.sqs, queueUrl: (id) => provisioned.queueUrl(id) });
    stops.push(async () => liveView.stop());

    step('starting the event sources and schedules…');
    const sqsSources = stack.queueMappings.map((m) => {
      const queue = stack.queues.find((q) => q.logicalId === m.queueLogicalId);
      if (!queue) throw new Error(`No queue ${m.queueLogicalId}`);
      return new SqsEventSource(m, queue, provisioned.queueUrl(queue.logicalId), host.get(m.functionLogicalId), sourceClients.sqs, log);
    });
    // The pollers' own calls (receive, delete) are billed on AWS too: counted as the event source's.
    for (const source of sqsSources) asCaller(`sqs-event-source:${source.mapping.functionLogicalId}`, () => source.start());
    stops.push(async () => {
      await Promise.all(sqsSources.map((s) => s.stop()));
    });
    const streamSources = stack.streamMappings.map(
      (m) =>
        new StreamEventSource(m, {
          fn: host.get(m.functionLogicalId),
          tableName: findByLogicalId(stack.tables, m.tableLogicalId).name,
          streamArn: provisioned.streamArn(m.tableLogicalId),
          onFailureQueueUrl: m.onFailureQueueLogicalId ? provisioned.queueUrl(m.onFailureQueueLogicalId) : undefined,
          streams: sourceClients.dynamodbStreams,
          sqs: sourceClients.sqs,
          log,
          tap: (records) => liveView.recordStreamRecords(records, m.functionLogicalId),
        }),
    );
    stops.push(async () => {
      await Promise.all(streamSources.map((s) => s.stop()));
    });
    for (const source of streamSources) {
      await asCaller(`stream-event-source:${source.mapping.functionLogicalId}`, () => source.start());
    }
    const stopSchedules = startSchedules(stack.schedules, host, log);
    stops.push(async () => stopSchedules());

    const parts = { sqsSources, streamSources, host };
    liveView.attach(parts);
    const status = () => runtimeStatus(parts);
    const settle = (timeoutMs?: number) => settleSources(parts, timeoutMs);
    step('waiting for the event sources to settle…');
    await settle();

    if (options.progressLog) {
      const stopProgress = startProgressLog(parts, log);
      stops.push(async () => stopProgress());
    }

    options.signal?.throwIfAborted();
    const api = await startApiGateway(stack.api, host, {
      port,
      host: API_HOST,
      authorizers: identity,
      localStatus: status,
      localEvents: (query) => events.serve(query),
      localTokens: (body, requestId) => identity.tokensEndpoint(body, requestId),
      localRoutes: firstOf(liveViewRoutes(liveView), apiDocsRoutes()),
      onResponse: (method, url, statusCode) => liveView.recordResponse(method, url, statusCode),
    });
    stops.push(api.close);
    const readyMs = performance.now() - started;

    const lists = { 'AWS::DynamoDB::Table': stack.tables, 'AWS::SQS::Queue': stack.queues, 'AWS::S3::Bucket': stack.buckets };
    return {
      url: api.url,
      endpoints,
      identity,
      token: async (username, groups = []) => (await identity.signIn({ username, groups: [...groups] })).idToken,
      awsJsonEndpoint: awsJson.url,
      events,
      holdSeconds: Number(stack.functions.find((f) => f.environment.HOLD_SECONDS !== undefined)?.environment.HOLD_SECONDS ?? 0),
      stack,
      provisioned,
      host,
      api,
      clients,
      proxies,
      sqsSources,
      streamSources,
      readyMs,
      status,
      liveView,
      settle,
      resourceName: (type, hint) => findByHint(lists[type], hint).name,
      queueUrl: (hint) => provisioned.queueUrl(findByHint(stack.queues, hint).logicalId),
      assemblyDir: assembly.assemblyDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Promise.all that waits for every promise to settle before rejecting, so nothing started in
 * parallel is still starting (and unregistered) when the failure is cleaned up.
 */
async function settledAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> | T[K] }): Promise<T> {
  const results = await Promise.allSettled(promises as readonly unknown[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function findByLogicalId<T extends { logicalId: string }>(list: readonly T[], logicalId: string): T {
  const found = list.find((r) => r.logicalId === logicalId);
  if (!found) throw new Error(`No resource ${logicalId}`);
  return found;
}

/**
 * Variables every hosted function shares: region, dummy credentials and the emulator endpoints
 * (the SDK reads AWS_ENDPOINT_URL_<SERVICE> itself).
 */
function configureProcessEnv(endpoints: LocalEndpoints, awsJson: AwsJsonEndpoint): void {
  process.env.AWS_REGION ??= LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = awsJson.url;
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = awsJson.url;
}

/** Local routes tried in order: the first that answers a request serves it. */
function firstOf(
  ...handlers: Array<(req: http.IncomingMessage, res: http.ServerResponse) => boolean>
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => handlers.some((handle) => handle(req, res));
}
