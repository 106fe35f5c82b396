import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedStore } from '../domain/feed/ports.js';
import type { FeedVersion } from '../domain/feed/types.js';
import { batchPutAll } from './dynamo-batch.js';
import {
  expiresAtAttribute,
  FEED_INDEX_PK,
  type FeedSettings,
  feedIndexKey,
  pageBodyOf,
  pageItem,
  pageKey,
  settingsFromItem,
  settingsKey,
  versionFromItem,
  versionItem,
  versionKey,
  versionRange,
} from './feed-items.js';

/** FeedStore over the feeds table (item shapes in feed-items.ts). */
export class DynamoFeedStore implements FeedStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putPages(feedId: string, version: number, pages: string[], expiresAt: number, signal?: AbortSignal): Promise<void> {
    const items = pages.map((body, i) => pageItem(feedId, version, i + 1, body, expiresAt));
    await batchPutAll(this.client, this.tableName, items, 1, signal);
  }

  async claim(v: FeedVersion, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: versionItem({ ...v, complete: false }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: feedIndexKey(v.feedId),
        UpdateExpression: 'SET feedId = :id',
        ExpressionAttributeValues: { ':id': v.feedId },
      }),
      { abortSignal: signal },
    );
    return true;
  }

  async markComplete(feedId: string, version: number, signal?: AbortSignal): Promise<void> {
    await this.updateVersion(feedId, version, 'SET complete = :v', true, signal);
  }

  async getVersion(feedId: string, version: number): Promise<FeedVersion | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: versionKey(feedId, version) }));
    return out.Item ? versionFromItem(out.Item) : null;
  }

  async versionsUpTo(feedId: string, upTo: number, limit: number): Promise<FeedVersion[]> {
    const out = await this.client.send(
      new QueryCommand({ TableName: this.tableName, ...versionRange(feedId, 0, upTo), ScanIndexForward: false, Limit: limit }),
    );
    return (out.Items ?? []).map(versionFromItem);
  }

  async unsupersededBefore(feedId: string, before: number): Promise<FeedVersion[]> {
    const versions: FeedVersion[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const range = versionRange(feedId, 0, before - 1);
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: range.KeyConditionExpression,
          FilterExpression: 'attribute_not_exists(superseded) OR superseded = :false',
          ExpressionAttributeValues: { ...range.ExpressionAttributeValues, ':false': false },
          ExclusiveStartKey: startKey,
        }),
      );
      versions.push(...(out.Items ?? []).map(versionFromItem));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return versions;
  }

  async markSuperseded(feedId: string, version: number, superseded: boolean): Promise<void> {
    await this.updateVersion(feedId, version, 'SET superseded = :v', superseded);
  }

  async getPage(feedId: string, version: number, page: number, signal?: AbortSignal): Promise<string | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pageKey(feedId, version, page) }), {
      abortSignal: signal,
    });
    return pageBodyOf(out.Item);
  }

  async extend(v: FeedVersion, expiresAt: number): Promise<void> {
    const keys = [versionKey(v.feedId, v.version), ...Array.from({ length: v.totalPages }, (_, i) => pageKey(v.feedId, v.version, i + 1))];
    await Promise.all(
      keys.map((Key) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET expiresAt = :e',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':e': expiresAtAttribute(expiresAt) },
          }),
        ),
      ),
    );
  }

  async feedIds(): Promise<string[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': FEED_INDEX_PK },
      }),
    );
    return (out.Items ?? []).map((i) => String(i.feedId));
  }

  async isDegraded(feedId: string): Promise<boolean> {
    return (await this.settings(feedId)).degraded;
  }

  async setDegraded(feedId: string, degraded: boolean, signal?: AbortSignal): Promise<void> {
    await this.setSetting(feedId, 'degraded', degraded, signal);
  }

  async staticCurrent(feedId: string, signal?: AbortSignal): Promise<number | null> {
    return (await this.settings(feedId, signal)).staticCurrent;
  }

  async setStaticCurrent(feedId: string, version: number, signal?: AbortSignal): Promise<void> {
    await this.setSetting(feedId, 'staticCurrent', version, signal);
  }

  private async settings(feedId: string, signal?: AbortSignal): Promise<FeedSettings> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: settingsKey(feedId) }), { abortSignal: signal });
    return settingsFromItem(out.Item);
  }

  private async setSetting(feedId: string, name: keyof FeedSettings, value: unknown, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: settingsKey(feedId),
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': name },
        ExpressionAttributeValues: { ':v': value },
      }),
      { abortSignal: signal },
    );
  }

  /** One update of an existing version item. */
  private async updateVersion(feedId: string, version: number, update: string, value: unknown, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: versionKey(feedId, version),
        UpdateExpression: update,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':v': value },
      }),
      { abortSignal: signal },
    );
  }
}
