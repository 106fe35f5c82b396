import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedStore } from '../domain/feed/ports.js';
import type { FeedVersion } from '../domain/feed/types.js';
import { batchPutAll } from './dynamo-batch.js';

/**
 * Feeds table layout (docs/data-model.md), `expiresAt` in epoch seconds is the TTL attribute:
 *   version registry  pk = FEED#<feedId>               sk = V#<publishAt, 15 digits>
 *   page              pk = FEED#<feedId>#V#<version>   sk = P#<page, 5 digits>   body = page JSON
 *   feed settings     pk = FEED#<feedId>               sk = SETTINGS   (degraded, staticCurrent)
 */
const versionSk = (v: number) => `V#${String(v).padStart(15, '0')}`;
const pagePk = (feedId: string, v: number) => `FEED#${feedId}#V#${v}`;
const pageSk = (p: number) => `P#${String(p).padStart(5, '0')}`;
const toSeconds = (ms: number) => Math.floor(ms / 1000);

export class DynamoFeedStore implements FeedStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putPages(feedId: string, version: number, pages: string[], expiresAt: number): Promise<void> {
    const items = pages.map((body, i) => ({ pk: pagePk(feedId, version), sk: pageSk(i + 1), body, expiresAt: toSeconds(expiresAt) }));
    await batchPutAll(this.client, this.tableName, items);
  }

  async claim(v: FeedVersion): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `FEED#${v.feedId}`,
            sk: versionSk(v.version),
            type: 'FEED_VERSION',
            ...v,
            complete: false,
            expiresAt: toSeconds(v.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: 'FEEDS', sk: v.feedId },
          UpdateExpression: 'SET feedId = :id',
          ExpressionAttributeValues: { ':id': v.feedId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markComplete(feedId: string, version: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `FEED#${feedId}`, sk: versionSk(version) },
        UpdateExpression: 'SET complete = :true',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async getVersion(feedId: string, version: number): Promise<FeedVersion | null> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `FEED#${feedId}`, sk: versionSk(version) } }),
    );
    return out.Item ? fromItem(out.Item) : null;
  }

  async versionsUpTo(feedId: string, upTo: number, limit: number): Promise<FeedVersion[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `FEED#${feedId}`, ':from': versionSk(0), ':to': versionSk(upTo) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(fromItem);
  }

  async getPage(feedId: string, version: number, page: number): Promise<string | null> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pagePk(feedId, version), sk: pageSk(page) } }),
    );
    return typeof out.Item?.body === 'string' ? out.Item.body : null;
  }

  async extend(v: FeedVersion, expiresAt: number): Promise<void> {
    const keys = [
      { pk: `FEED#${v.feedId}`, sk: versionSk(v.version) },
      ...Array.from({ length: v.totalPages }, (_, i) => ({ pk: pagePk(v.feedId, v.version), sk: pageSk(i + 1) })),
    ];
    await Promise.all(
      keys.map((Key) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET expiresAt = :e',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':e': toSeconds(expiresAt) },
          }),
        ),
      ),
    );
  }

  async feedIds(): Promise<string[]> {
    const out = await this.client.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'FEEDS' } }),
    );
    return (out.Items ?? []).map((i) => String(i.feedId));
  }

  async isDegraded(feedId: string): Promise<boolean> {
    return (await this.settings(feedId))?.degraded === true;
  }

  async setDegraded(feedId: string, degraded: boolean): Promise<void> {
    await this.setSetting(feedId, 'degraded', degraded);
  }

  async staticCurrent(feedId: string): Promise<number | null> {
    const value = (await this.settings(feedId))?.staticCurrent;
    return typeof value === 'number' ? value : null;
  }

  async setStaticCurrent(feedId: string, version: number): Promise<void> {
    await this.setSetting(feedId, 'staticCurrent', version);
  }

  private async settings(feedId: string) {
    return (await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `FEED#${feedId}`, sk: 'SETTINGS' } }))).Item;
  }

  private async setSetting(feedId: string, name: string, value: unknown): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `FEED#${feedId}`, sk: 'SETTINGS' },
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': name },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
  }
}

function fromItem(item: Record<string, unknown>): FeedVersion {
  return {
    feedId: String(item.feedId),
    version: Number(item.version),
    publishAt: Number(item.publishAt),
    pageSize: Number(item.pageSize),
    totalPages: Number(item.totalPages),
    totalItems: Number(item.totalItems),
    complete: item.complete === true,
    expiresAt: Number(item.expiresAt) * 1000,
  };
}
