import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaStreamRecord } from '../../lib/local/event-sources/stream-records.js';

/** Every record of `table`'s stream so far, in the shape Lambda delivers them, from DynamoDB Local at `endpoint`. */
export async function streamRecords(endpoint: string, table: string): Promise<DynamoDBRecord[]> {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const streams = new DynamoDBStreamsClient(config);
  const arn = (await new DynamoDBClient(config).send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn ?? '';
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
  const records: DynamoDBRecord[] = [];
  for (const shard of shards) {
    let iterator = (
      await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    for (let page = 0; iterator && page < 50; page++) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...(out.Records ?? []).map((r) => toLambdaStreamRecord(r, arn)));
      if ((out.Records ?? []).length === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return records;
}
