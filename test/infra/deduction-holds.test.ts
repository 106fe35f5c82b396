import { marshall } from '@aws-sdk/util-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { limitKey, requestItem } from '../../lambdas/adapters/deduction-items.js';
import { filterRecords } from '../../lib/local/event-sources/event-filter.js';
import { deduction } from '../helpers/deductions.js';
import { synth } from '../helpers/synth.js';

const EVENTS = { Description: Match.stringLikeRegexp('^Deductions stream') };
const EXPIRY = { Description: Match.stringLikeRegexp('^Expires holds') };

describe('DeductionHolds', () => {
  const { template } = synth({ dax: false, holdSeconds: 45 });
  const fn = (props: object) => {
    // biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation, read as JSON
    const [[id, resource]] = Object.entries(template.findResources('AWS::Lambda::Function', { Properties: props })) as [[string, any]];
    return { id, resource };
  };
  const policyOf = (functionId: string) =>
    JSON.stringify(
      Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        (p.Properties.Roles as Array<{ Ref: string }>).some((r) => functionId.startsWith(r.Ref.replace(/Role[A-F0-9]+$/, ''))),
      ),
    );

  it('gives the consumer the hold window from context', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Drains the deductions queue'),
      Environment: { Variables: Match.objectLike({ HOLD_SECONDS: '45' }) },
    });
  });

  it('streams both images of the deductions table to the events function from its oldest record, retrying until records leave the stream', () => {
    const events = fn(EVENTS);
    const [mapping] = Object.values(
      template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: events.id } } }),
    );

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(mapping?.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/StreamFailures/), 'Arn'] } } },
    });
    expect(mapping?.Properties.MaximumRetryAttempts).toBeUndefined();
    expect(mapping?.Properties.MaximumRecordAgeInSeconds).toBeUndefined();
  });

  it('wakes the events function for decided requests only: not for new requests, limit markers or deletions', () => {
    const events = fn(EVENTS);
    const [mapping] = Object.values(
      template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: events.id } } }),
    );
    const patterns = (
      (mapping as { Properties: { FilterCriteria: { Filters: unknown } } }).Properties.FilterCriteria.Filters as Array<{ Pattern: string }>
    ).map((f) => JSON.parse(f.Pattern));
    const d = deduction({ sku: 'SKU-1' });
    const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
    const record = (eventName: string, item: Record<string, unknown>) => ({ eventName, dynamodb: { NewImage: image(item) } });
    const held = record('MODIFY', requestItem({ ...d, status: 'HELD', holdUntil: 1, decidedAt: 1 }, 1));
    const others = ['REJECTED', 'CONFIRMED', 'EXPIRED', 'CANCELLED'].map((status) =>
      record('MODIFY', requestItem({ ...d, status: status as 'HELD' }, 1)),
    );

    const passed = filterRecords(patterns, [
      record('INSERT', requestItem(d, 1)),
      held,
      record('MODIFY', { ...limitKey('SKU-1', d.owner), units: 1, owner: d.owner, sku: 'SKU-1' }),
      { eventName: 'REMOVE', dynamodb: { OldImage: image(requestItem(d, 1)) } },
      ...others,
    ]);

    expect(passed).toEqual([held, ...others]);
  });

  it('lets the events function put events on the bus and send timers to the expiry queue, and nothing else', () => {
    const events = fn(EVENTS);
    const env = events.resource.Properties.Environment.Variables;
    const policy = policyOf(events.id);

    expect(env.DEDUCTION_EVENT_BUS).toEqual({ Ref: expect.stringMatching(/^DeductionHoldsBus/) });
    expect(env.HOLD_EXPIRY_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^DeductionHoldsExpiryQueue/) });
    expect(policy).toContain('events:PutEvents');
    expect(policy).toContain('sqs:SendMessage');
    expect(policy).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)/);
  });

  it('drains the expiry queue in batches of 100 within 1 s, two at a time, with partial batch responses and a DLQ', () => {
    const expiry = fn(EXPIRY);
    const policy = policyOf(expiry.id);

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: expiry.id },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * expiry.resource.Properties.Timeout,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ExpiryDeadLetters'), 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(policy).toContain('dynamodb:UpdateItem');
    expect(policy).toContain('sqs:SendMessage');
    expect(policy).not.toMatch(/dynamodb:(PutItem|DeleteItem)/);
  });

  it('archives every deduction event for replay, and alarms on timers and stream records given up on', () => {
    template.hasResourceProperties('AWS::Events::Archive', { EventPattern: { source: ['crest.deductions'] }, RetentionDays: 14 });
    for (const queue of ['ExpiryDeadLetters', 'StreamFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(`DeductionHolds${queue}`), 'QueueName'] } }],
      });
    }
  });
});
