import { describe, expect, it } from 'vitest';
import { onFailureRecord, toLambdaStreamRecord } from '../../../../lib/local/event-sources/stream-records.js';

const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/1';

describe('toLambdaStreamRecord', () => {
  it("gives an SDK stream record Lambda's shape: event source fields and creation time in epoch seconds", () => {
    const record = toLambdaStreamRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-01-01T00:00:01.900Z'),
          Keys: { pk: { S: 'A' } },
          SequenceNumber: '100',
          SizeBytes: 10,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      STREAM,
    );

    expect(record).toMatchObject({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      eventSourceARN: STREAM,
      awsRegion: 'us-east-1',
      dynamodb: { ApproximateCreationDateTime: 1767225601, Keys: { pk: { S: 'A' } }, SequenceNumber: '100' },
    });
  });
});

describe('onFailureRecord', () => {
  it("describes the failed batch by its place in the shard (Lambda's DDBStreamBatchInfo), not by its records", () => {
    const records = ['7', '8', '9'].map((seq, i) =>
      toLambdaStreamRecord(
        { eventID: seq, dynamodb: { SequenceNumber: seq, ApproximateCreationDateTime: new Date(1_000 * (i + 1)) } },
        STREAM,
      ),
    );

    const body = onFailureRecord({
      functionArn: 'arn:fn',
      streamArn: STREAM,
      shardId: 'shard-1',
      records,
      condition: 'RetryAttemptsExhausted',
    });

    expect(body).toMatchObject({
      requestContext: { functionArn: 'arn:fn', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: '7',
        endSequenceNumber: '9',
        approximateArrivalOfFirstRecord: '1970-01-01T00:00:01.000Z',
        approximateArrivalOfLastRecord: '1970-01-01T00:00:03.000Z',
        batchSize: 3,
        streamArn: STREAM,
      },
    });
  });
});
