import { randomUUID } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import type { CallCounter } from './call-counts.js';
import {
  type CeilingLimits,
  itemSize,
  PartitionCeiling,
  partitionOf,
  type ReadConsistency,
  readUnits,
  type WireItem,
  type WireValue,
  writeUnits,
} from './capacity.js';

/** The partition ceiling as the proxy applies it; `null` turns it off. */
export interface CeilingSettings extends CeilingLimits {
  /**
   * The error a throttled single-item call gets. DynamoDB answers a hot partition with
   * ProvisionedThroughputExceededException (reason `…KeyRangeThroughputExceeded`, on-demand
   * tables included); ThrottlingException is the newer name some operations document.
   */
  errorType: 'ProvisionedThroughputExceededException' | 'ThrottlingException';
}

/** The header the caller tag travels in (see caller-tag.ts); removed before forwarding. */
export const CALLER_HEADER = 'x-crest-caller';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const STREAMS_PREFIX = 'DynamoDBStreams_20120810.';
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';
/**
 * The message DynamoDB gives a throttled on-demand table or transaction item (the SDK's model of
 * TransactionCanceledException, reason ThrottlingError; also what KeyRangeThroughputExceeded says).
 */
export const THROTTLED_MESSAGE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html.';

interface KeySchema {
  hash: string;
  range?: string;
}

/** One item an operation reads or writes, with its estimated units. */
interface Access {
  table: string;
  key: WireItem;
  kind: 'read' | 'write';
  units: number;
  /** Reads: how consistent (units are recomputed from the size read). */
  consistency?: ReadConsistency;
  /** Writes: the item's size afterwards, as far as the request tells (exact for a put). */
  sizeAfter?: number;
  partition: string;
  itemId: string;
}

type Body = Record<string, unknown>;

/**
 * An HTTP proxy for DynamoDB's JSON protocol in front of DynamoDB Local: it counts every call
 * (by caller and operation, with request units) and, when the ceiling is on, refuses what a hot
 * partition would refuse on AWS, with the very answers the SDK gets there:
 * - GetItem, PutItem, UpdateItem, DeleteItem, Query: 400 ProvisionedThroughputExceededException
 *   (or ThrottlingException) with `ThrottlingReasons: [{ reason: Table{Read|Write}KeyRangeThroughputExceeded, resource }]`;
 * - BatchGetItem, BatchWriteItem: the throttled items come back in UnprocessedKeys/UnprocessedItems,
 *   and only when every item is throttled the call fails as above
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html);
 * - TransactWriteItems, TransactGetItems: TransactionCanceledException whose CancellationReasons
 *   say ThrottlingError for the throttled items and None for the others (the SDK's model of the
 *   exception lists the codes and this message).
 * Item sizes are learned from what passes through (items written, items read); an item never
 * seen counts as one unit.
 */
export class DynamoDbProxy {
  private readonly schemas = new Map<string, Promise<KeySchema | undefined>>();
  private readonly sizes = new Map<string, number>();
  private readonly ceiling: PartitionCeiling;
  private settings: CeilingSettings | null;
  private readonly upstream: URL;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });

  constructor(
    upstream: string,
    private readonly counter: CallCounter,
    settings: CeilingSettings | null = null,
    now?: () => number,
  ) {
    this.upstream = new URL(upstream);
    this.settings = settings;
    this.ceiling = new PartitionCeiling(settings ?? { writeUnitsPerSecond: 1, readUnitsPerSecond: 1 }, now);
  }

  configure(settings: CeilingSettings | null): void {
    this.settings = settings;
    if (settings) this.ceiling.setLimits(settings);
  }

  close(): void {
    this.agent.destroy();
  }

  /** Serves one request (an http.Server 'request' listener). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.serve(req, Buffer.concat(chunks), res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`local DynamoDB proxy: ${(error as Error).message}`);
      });
    });
  }

  private async serve(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): Promise<void> {
    const caller = req.headers[CALLER_HEADER] as string | undefined;
    const target = String(req.headers['x-amz-target'] ?? '');
    const streams = target.startsWith(STREAMS_PREFIX);
    const operation = target.replace(TARGET_PREFIX, '').replace(STREAMS_PREFIX, '');
    const name = `${streams ? 'dynamodbstreams' : 'dynamodb'}.${operation || 'unknown'}`;
    let body: Body | undefined;
    try {
      body = !streams && target.startsWith(TARGET_PREFIX) ? (JSON.parse(raw.toString('utf8')) as Body) : undefined;
    } catch {
      body = undefined;
    }
    if (!body) {
      const out = await this.forward(req, raw);
      this.counter.record(caller, name, { calls: 1, bytes: raw.length, errors: out.status >= 400 ? 1 : 0 });
      return send(res, out);
    }
    const authorization = String(req.headers.authorization ?? LOCAL_AUTHORIZATION);
    const schemaOf = (table: string) => this.schemaOf(table, authorization);
    if (operation === 'CreateTable' || operation === 'DeleteTable') this.schemas.delete(schemaKey(String(body.TableName), authorization));

    const accesses = await this.accessesOf(operation, body, schemaOf);
    const batch = operation === 'BatchGetItem' || operation === 'BatchWriteItem';
    let throttled: Access[] = [];
    let forwardBody = raw;
    if (this.settings && accesses.length > 0) {
      if (batch) {
        throttled = accesses.filter((a) => this.ceiling.tryCharge([a]).length > 0);
        if (throttled.length === accesses.length) return this.refuse(res, caller, name, accesses, raw.length, operation);
        if (throttled.length > 0) forwardBody = Buffer.from(JSON.stringify(withoutItems(operation, body, throttled)));
      } else {
        const short = this.ceiling.tryCharge(accesses);
        if (short.length > 0) return this.refuse(res, caller, name, accesses, raw.length, operation, short);
      }
    }
    const admitted = accesses.filter((a) => !throttled.includes(a));

    const out = await this.forward(req, forwardBody);
    let result = out;
    let units = { read: 0, write: 0 };
    if (out.status < 300) {
      const answer = JSON.parse(out.body.toString('utf8') || '{}') as Body;
      units = await this.settle(operation, body, admitted, answer, schemaOf);
      if (throttled.length > 0) result = json(out.status, withUnprocessed(operation, answer, throttled, body));
    } else {
      // A failed condition still consumes the write (and a cancelled transaction its items);
      // any other error consumed nothing, so the ceiling gets the units back.
      const type = String((JSON.parse(out.body.toString('utf8') || '{}') as Body).__type ?? '');
      const consumed = /ConditionalCheckFailed|TransactionCanceled/.test(type);
      for (const a of admitted) {
        if (consumed) units[a.kind] += a.units;
        else if (this.settings) this.ceiling.adjust(a.partition, a.kind, -a.units);
      }
    }
    this.counter.record(caller, name, {
      calls: 1,
      bytes: raw.length,
      errors: out.status >= 400 ? 1 : 0,
      throttled: throttled.length,
      readUnits: units.read,
      writeUnits: units.write,
    });
    send(res, result);
  }

  /** Answers a call whose partitions have no units left, as DynamoDB does. */
  private refuse(
    res: http.ServerResponse,
    caller: string | undefined,
    name: string,
    accesses: Access[],
    bytes: number,
    operation: string,
    short: number[] = accesses.map((_, i) => i),
  ): void {
    this.counter.record(caller, name, { calls: 1, bytes, errors: 1, throttled: 1 });
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      const reasons = accesses.map((_, i) =>
        short.includes(i) ? { Code: 'ThrottlingError', Message: THROTTLED_MESSAGE } : { Code: 'None' },
      );
      send(
        res,
        json(400, {
          __type: `${ERROR_NAMESPACE}TransactionCanceledException`,
          CancellationReasons: reasons,
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        }),
      );
      return;
    }
    const write = accesses.some((a) => a.kind === 'write');
    const table = accesses[0]?.table ?? '';
    send(
      res,
      json(400, {
        __type: `${ERROR_NAMESPACE}${this.settings?.errorType ?? 'ProvisionedThroughputExceededException'}`,
        message: THROTTLED_MESSAGE,
        ThrottlingReasons: [
          {
            reason: `Table${write ? 'Write' : 'Read'}KeyRangeThroughputExceeded`,
            resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
          },
        ],
      }),
    );
  }

  /**
   * Learns sizes from the answer, works out the units the call really used, and corrects the
   * ceiling's up-front charge.
   */
  private async settle(
    operation: string,
    body: Body,
    admitted: Access[],
    answer: Body,
    schemaOf: (table: string) => Promise<KeySchema | undefined>,
  ): Promise<{ read: number; write: number }> {
    const units = { read: 0, write: 0 };
    const charge = (a: Access, actual: number) => {
      units[a.kind] += actual;
      if (this.settings && actual !== a.units) this.ceiling.adjust(a.partition, a.kind, actual - a.units);
    };
    switch (operation) {
      case 'GetItem': {
        const item = answer.Item as WireItem | undefined;
        const a = admitted[0];
        if (!a) break;
        if (item) this.sizes.set(a.itemId, itemSize(item));
        charge(a, readUnits(item ? itemSize(item) : 0, a.consistency ?? 'eventual'));
        break;
      }
      case 'BatchGetItem': {
        const found = new Map<string, number>();
        for (const [table, items] of Object.entries((answer.Responses ?? {}) as Record<string, WireItem[]>)) {
          const schema = await schemaOf(table);
          if (!schema) continue;
          for (const item of items) {
            const id = itemId(table, schema, item);
            found.set(id, itemSize(item));
            this.sizes.set(id, itemSize(item));
          }
        }
        for (const a of admitted) charge(a, readUnits(found.get(a.itemId) ?? 0, a.consistency ?? 'eventual'));
        break;
      }
      case 'TransactGetItems': {
        const responses = (answer.Responses ?? []) as Array<{ Item?: WireItem }>;
        admitted.forEach((a, i) => {
          const item = responses[i]?.Item;
          if (item) this.sizes.set(a.itemId, itemSize(item));
          charge(a, readUnits(item ? itemSize(item) : 0, 'transactional'));
        });
        break;
      }
      case 'Query':
      case 'Scan': {
        const items = (answer.Items ?? []) as WireItem[];
        const table = String(body.TableName);
        const schema = await schemaOf(table);
        let bytes = 0;
        for (const item of items) {
          bytes += itemSize(item);
          if (schema) this.sizes.set(itemId(table, schema, item), itemSize(item));
        }
        const actual = readUnits(bytes, body.ConsistentRead === true ? 'strong' : 'eventual');
        const a = admitted[0];
        if (a) charge(a, actual);
        else units.read += actual;
        break;
      }
      case 'DeleteItem':
        for (const a of admitted) {
          charge(a, a.units);
          this.sizes.delete(a.itemId);
        }
        break;
      default:
        // Writes: charged what was estimated; remember the size afterwards.
        for (const a of admitted) {
          charge(a, a.units);
          if (a.kind === 'write' && a.sizeAfter) this.remember(a.itemId, a.sizeAfter);
        }
    }
    return units;
  }

  private remember(id: string, size: number): void {
    if (this.sizes.size > 500_000) this.sizes.clear();
    this.sizes.set(id, size);
  }

  /** The items an operation touches, with their estimated units (empty: not charged per partition). */
  private async accessesOf(operation: string, body: Body, schemaOf: (table: string) => Promise<KeySchema | undefined>): Promise<Access[]> {
    const out: Access[] = [];
    const add = async (
      table: string,
      key: WireItem | undefined,
      kind: 'read' | 'write',
      how: { consistency?: ReadConsistency; newItem?: WireItem; transactional?: boolean; extra?: number },
    ) => {
      const schema = await schemaOf(table);
      if (!schema || !key) return;
      const id = itemId(table, schema, key);
      const known = this.sizes.get(id) ?? 0;
      const sizeAfter = how.newItem ? itemSize(how.newItem) : Math.max(known, how.extra ?? 0);
      const units =
        kind === 'read' ? readUnits(known, how.consistency ?? 'eventual') : writeUnits(Math.max(known, sizeAfter), how.transactional);
      out.push({
        table,
        key,
        kind,
        units,
        consistency: how.consistency,
        sizeAfter,
        partition: partitionOf(table, schema.hash, key),
        itemId: id,
      });
    };
    const consistency = (b: Body): ReadConsistency => (b.ConsistentRead === true ? 'strong' : 'eventual');
    switch (operation) {
      case 'GetItem':
        await add(String(body.TableName), body.Key as WireItem, 'read', { consistency: consistency(body) });
        break;
      case 'PutItem':
        await add(String(body.TableName), body.Item as WireItem, 'write', { newItem: body.Item as WireItem });
        break;
      case 'UpdateItem':
        await add(String(body.TableName), body.Key as WireItem, 'write', { extra: updateSizeHint(body) });
        break;
      case 'DeleteItem':
        await add(String(body.TableName), body.Key as WireItem, 'write', {});
        break;
      case 'Query': {
        const table = String(body.TableName);
        const schema = await schemaOf(table);
        const value = schema && !body.IndexName ? partitionValueOfQuery(body, schema.hash) : undefined;
        if (schema && value) await add(table, { [schema.hash]: value }, 'read', { consistency: consistency(body) });
        break;
      }
      case 'BatchGetItem':
        for (const [table, request] of Object.entries((body.RequestItems ?? {}) as Record<string, Body>))
          for (const key of (request.Keys ?? []) as WireItem[]) await add(table, key, 'read', { consistency: consistency(request) });
        break;
      case 'BatchWriteItem':
        for (const [table, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, Body[]>))
          for (const r of requests) {
            const put = (r.PutRequest as Body | undefined)?.Item as WireItem | undefined;
            await add(table, put ?? ((r.DeleteRequest as Body | undefined)?.Key as WireItem), 'write', { newItem: put });
          }
        break;
      case 'TransactWriteItems':
        for (const entry of (body.TransactItems ?? []) as Body[]) {
          const [action, spec] = Object.entries(entry)[0] as [string, Body];
          const key = (action === 'Put' ? spec.Item : spec.Key) as WireItem;
          await add(String(spec.TableName), key, 'write', {
            transactional: true,
            newItem: action === 'Put' ? (spec.Item as WireItem) : undefined,
            extra: action === 'Update' ? updateSizeHint(spec) : 0,
          });
        }
        break;
      case 'TransactGetItems':
        for (const entry of (body.TransactItems ?? []) as Body[]) {
          const spec = entry.Get as Body;
          await add(String(spec.TableName), spec.Key as WireItem, 'read', { consistency: 'transactional' });
        }
        break;
    }
    return out;
  }

  /**
   * The table's primary key, from DescribeTable (once per table). DynamoDB Local keeps one
   * database per access key and region, so the caller's credentials name the table too.
   */
  private schemaOf(table: string, authorization: string): Promise<KeySchema | undefined> {
    const key = schemaKey(table, authorization);
    let schema = this.schemas.get(key);
    if (!schema) {
      schema = this.describe(table, authorization);
      this.schemas.set(key, schema);
      schema.then(
        (s) => {
          if (!s) this.schemas.delete(key);
        },
        () => this.schemas.delete(key),
      );
    }
    return schema;
  }

  private async describe(table: string, authorization: string): Promise<KeySchema | undefined> {
    const out = await this.forwardRaw(
      { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${TARGET_PREFIX}DescribeTable`, authorization },
      Buffer.from(JSON.stringify({ TableName: table })),
    );
    if (out.status !== 200) return undefined;
    const keySchema = ((JSON.parse(out.body.toString('utf8')) as Body).Table as Body | undefined)?.KeySchema as
      | Array<{ AttributeName: string; KeyType: string }>
      | undefined;
    const hash = keySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    return hash ? { hash, range: keySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName } : undefined;
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    delete headers[CALLER_HEADER];
    delete headers.host;
    headers['content-length'] = body.length;
    return this.forwardRaw(headers, body, req.method, req.url);
  }

  private forwardRaw(headers: http.OutgoingHttpHeaders, body: Buffer, method = 'POST', path = '/'): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          agent: this.agent,
          host: this.upstream.hostname,
          port: this.upstream.port,
          method,
          path,
          headers: { ...headers, 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

/** The database a table lives in on DynamoDB Local (access key and region), and its name. */
function schemaKey(table: string, authorization: string): string {
  const scope = /Credential=([^/]+)\/[^/]+\/([^/]+)\//.exec(authorization);
  return `${scope?.[1] ?? ''}|${scope?.[2] ?? ''}|${table}`;
}

/** DynamoDB Local accepts any signature but wants the header. */
const LOCAL_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local';

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(res: http.ServerResponse, out: Upstream): void {
  const headers = { ...out.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  headers['content-length'] = String(out.body.length);
  res.writeHead(out.status, headers);
  res.end(out.body);
}

/** A JSON 1.0 answer as DynamoDB sends it (request id, CRC32 of the body). */
function json(status: number, value: unknown): Upstream {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(zlib.crc32(body)),
    },
    body,
  };
}

function itemId(table: string, schema: KeySchema, item: WireItem): string {
  const range = schema.range ? JSON.stringify(item[schema.range] ?? null) : '';
  return `${table}|${JSON.stringify(item[schema.hash] ?? null)}|${range}`;
}

/** An UpdateItem's new size is unknown until applied: at least its key and the values it sets. */
function updateSizeHint(body: Body): number {
  const key = itemSize((body.Key ?? {}) as WireItem);
  const values = Object.values((body.ExpressionAttributeValues ?? {}) as Record<string, WireValue>);
  return key + values.reduce((sum, v) => sum + itemSize({ v }), 0);
}

/** The partition key value of a Query (`#pk = :v` or `pk = :v` in its key condition). */
function partitionValueOfQuery(body: Body, hashAttribute: string): WireValue | undefined {
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, WireValue>;
  for (const [, left, placeholder] of String(body.KeyConditionExpression ?? '').matchAll(/([#\w.]+)\s*=\s*(:\w+)/g)) {
    if ((names[left as string] ?? left) === hashAttribute) return values[placeholder as string];
  }
  return undefined;
}

/** The batch request without the throttled items. */
function withoutItems(operation: string, body: Body, throttled: Access[]): Body {
  const drop = new Set(throttled.map((a) => a.itemId));
  const requestItems: Record<string, unknown> = {};
  for (const [table, request] of Object.entries((body.RequestItems ?? {}) as Record<string, unknown>)) {
    if (operation === 'BatchGetItem') {
      const r = request as Body;
      const keys = ((r.Keys ?? []) as WireItem[]).filter((k) => !throttled.some((a) => a.table === table && sameKey(a.key, k)));
      if (keys.length) requestItems[table] = { ...r, Keys: keys };
    } else {
      const items = (request as Body[]).filter(
        (w) => !throttled.some((a) => a.table === table && drop.has(a.itemId) && sameKey(a.key, writeKey(w))),
      );
      if (items.length) requestItems[table] = items;
    }
  }
  return { ...body, RequestItems: requestItems };
}

/** The answer with the throttled items added to UnprocessedKeys / UnprocessedItems. */
function withUnprocessed(operation: string, answer: Body, throttled: Access[], request: Body): Body {
  const requestItems = (request.RequestItems ?? {}) as Record<string, unknown>;
  if (operation === 'BatchGetItem') {
    const unprocessed = { ...((answer.UnprocessedKeys ?? {}) as Record<string, Body>) };
    for (const a of throttled) {
      const original = requestItems[a.table] as Body;
      const entry = unprocessed[a.table] ?? { ...original, Keys: [] };
      entry.Keys = [...((entry.Keys ?? []) as WireItem[]), a.key];
      unprocessed[a.table] = entry;
    }
    return { ...answer, UnprocessedKeys: unprocessed };
  }
  const unprocessed = { ...((answer.UnprocessedItems ?? {}) as Record<string, Body[]>) };
  for (const a of throttled) {
    const original = ((requestItems[a.table] ?? []) as Body[]).find((w) => sameKey(a.key, writeKey(w)));
    if (original) unprocessed[a.table] = [...(unprocessed[a.table] ?? []), original];
  }
  return { ...answer, UnprocessedItems: unprocessed };
}

function writeKey(w: Body): WireItem {
  return ((w.PutRequest as Body | undefined)?.Item ?? (w.DeleteRequest as Body | undefined)?.Key ?? {}) as WireItem;
}

/** Whether `item` has the attributes of `key` with the same values. */
function sameKey(key: WireItem, item: WireItem): boolean {
  return Object.entries(key).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
}
