import { describe, expect, it } from 'vitest';
import { sqsRecord } from '../../../../lib/local/event-sources/sqs-poller.js';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:deductions';

describe('sqsRecord', () => {
  it('hands the function the message attributes in Lambda’s event shape', () => {
    const record = sqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'r-1',
        Body: '{}',
        MD5OfBody: 'md5',
        MD5OfMessageAttributes: 'md5-attrs',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '10', SenderId: 'me', ApproximateFirstReceiveTimestamp: '11' },
        MessageAttributes: {
          correlationId: { DataType: 'String', StringValue: 'checkout-7' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      },
      ARN,
    );

    expect(record).toMatchObject({
      messageId: 'm-1',
      body: '{}',
      md5OfMessageAttributes: 'md5-attrs',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '10', SenderId: 'me', ApproximateFirstReceiveTimestamp: '11' },
      messageAttributes: {
        correlationId: { dataType: 'String', stringValue: 'checkout-7', stringListValues: [], binaryListValues: [] },
        blob: { dataType: 'Binary', binaryValue: Buffer.from('hi').toString('base64'), stringListValues: [], binaryListValues: [] },
      },
    });
    expect(record.attributes).not.toHaveProperty('AWSTraceHeader');
  });

  it('passes AWSTraceHeader when the message carries one, as Lambda does', () => {
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

    const record = sqsRecord({ MessageId: 'm-1', Body: '{}', Attributes: { AWSTraceHeader: header } }, ARN);

    expect(record.attributes.AWSTraceHeader).toBe(header);
    expect(record.messageAttributes).toEqual({});
  });
});
