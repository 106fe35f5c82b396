import { describe, expect, it } from 'vitest';
import { operationOf } from '../../../../lib/local/aws-proxy/messaging-proxy.js';

const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers });

describe('operationOf', () => {
  it('names SQS calls by their JSON target or query Action', () => {
    expect(operationOf(req('POST', '/', { 'x-amz-target': 'AmazonSQS.SendMessageBatch' }), Buffer.alloc(0))).toBe('sqs.SendMessageBatch');
    expect(operationOf(req('POST', '/'), Buffer.from('Action=ReceiveMessage&QueueUrl=x'))).toBe('sqs.ReceiveMessage');
  });

  it('names S3 REST calls by method, path and query', () => {
    expect(operationOf(req('PUT', '/bucket/feeds/a/1.json'), Buffer.alloc(0))).toBe('s3.PutObject');
    expect(operationOf(req('PUT', '/bucket/k?tagging'), Buffer.alloc(0))).toBe('s3.PutObjectTagging');
    expect(operationOf(req('GET', '/bucket/k'), Buffer.alloc(0))).toBe('s3.GetObject');
    expect(operationOf(req('GET', '/bucket?list-type=2&prefix=x'), Buffer.alloc(0))).toBe('s3.ListObjectsV2');
    expect(operationOf(req('PUT', '/bucket'), Buffer.alloc(0))).toBe('s3.CreateBucket');
  });
});
