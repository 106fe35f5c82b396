import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StreamHeartbeats, StreamProgress } from '../domain/health/ports.js';

/**
 * A stream processor's heartbeat item, in the table whose stream it reads:
 *
 *   pk = HEALTH   sk = HEARTBEAT#<processor>   type = HEARTBEAT   lastRecordAt, processedAt (epoch ms)
 *
 * Its `type` is none of the kinds the stream's filter lets through, so writing it never wakes the
 * processor that wrote it; scans for products filter on `type` too.
 */
const heartbeatKey = (stream: string) => ({ pk: 'HEALTH', sk: `HEARTBEAT#${stream}` });

export class DynamoStreamHeartbeats implements StreamHeartbeats {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records `progress` unless a later one is already there (two containers, one shard after another). */
  async record(progress: StreamProgress): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: heartbeatKey(progress.stream),
          UpdateExpression: 'SET #type = :type, lastRecordAt = :last, processedAt = :at',
          ConditionExpression: 'attribute_not_exists(processedAt) OR processedAt < :at',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'HEARTBEAT', ':last': progress.lastRecordAt, ':at': progress.processedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async read(stream: string, signal?: AbortSignal): Promise<StreamProgress | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: heartbeatKey(stream) }), { abortSignal: signal });
    if (!out.Item) return null;
    return { stream, lastRecordAt: Number(out.Item.lastRecordAt), processedAt: Number(out.Item.processedAt) };
  }
}
