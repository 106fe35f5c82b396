import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
const MAX_ATTEMPTS = 9;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, 10 * 2 ** attempt));

/**
 * Puts every item with BatchWriteItem (25 a call), retrying unprocessed items with exponential
 * backoff, as DynamoDB asks (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
 */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: Item[],
  parallel = 1,
  signal?: AbortSignal,
): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let requests: Array<{ PutRequest?: { Item: Item } }> = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchWriteItem on ${tableName}: items still unprocessed after retries`);
        if (attempt > 0) await backoff(attempt);
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }), { abortSignal: signal });
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Gets every key with BatchGetItem (100 a call), retrying unprocessed keys with backoff. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Item[],
  consistentRead = false,
  signal?: AbortSignal,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem on ${tableName}: keys still unprocessed after retries`);
      if (attempt > 0) await backoff(attempt);
      const out = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistentRead } } }),
        { abortSignal: signal },
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
