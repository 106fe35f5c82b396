import type { _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../template.js';

/**
 * A DynamoDB Streams record as Lambda delivers it: the SDK's record with the event source fields,
 * and ApproximateCreationDateTime in epoch seconds (`fallbackEpochMs` where DynamoDB Local gives
 * none).
 */
export function toLambdaStreamRecord(r: SdkStreamRecord, streamArn: string, fallbackEpochMs = Date.now()): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor((d.ApproximateCreationDateTime?.getTime() ?? fallbackEpochMs) / 1000),
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

export type OnFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * What Lambda sends to a stream mapping's on-failure destination for records it gives up on: the
 * batch's position in the shard (DDBStreamBatchInfo), not the records themselves
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors).
 */
export function onFailureRecord(input: {
  functionArn: string;
  streamArn: string;
  shardId: string;
  records: readonly DynamoDBRecord[];
  condition: OnFailureCondition;
}): object {
  const first = input.records[0]?.dynamodb;
  const last = input.records[input.records.length - 1]?.dynamodb;
  const arrival = (seconds: number | undefined) => new Date(Number(seconds ?? 0) * 1000).toISOString();
  return {
    requestContext: {
      requestId: crypto.randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: 1,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}
