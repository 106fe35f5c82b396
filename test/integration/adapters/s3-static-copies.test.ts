import { GetObjectCommand, NoSuchKey, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3StaticCopies } from '../../../lambdas/adapters/s3-static-copies.js';
import { SUPERSEDED_TAG_KEY, staticPagePath } from '../../../lambdas/domain/feed/static-paths.js';
import { staticCopiesContract } from '../../helpers/contracts/feeds.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

// fauxqs (the S3 emulator) has no object tagging: it treats PutObjectTagging as PutObject and would
// store the tagging XML as the object. The contract runs with tagging off; the tagging requests
// themselves are checked below on a client that records them instead of sending them.
let resources: TestResources;
let bucket: string;
beforeAll(async () => {
  resources = await provisionResources('TodaysPicksStaticCopies');
  bucket = resources.bucket('TodaysPicksStaticCopies');
});

async function read(s3: S3Client, key: string): Promise<string | null> {
  try {
    return (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? null;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return null;
    throw error;
  }
}

staticCopiesContract('S3StaticCopies', async () => ({
  statics: new S3StaticCopies(resources.clients.s3, bucket, { tagging: false }),
  read: (key) => read(resources.clients.s3, key),
}));

describe('S3StaticCopies tagging (recorded, not sent: fauxqs has none)', () => {
  it('tags every page of a superseded version, and untags it, leaving current.json alone; skips a missing page', async () => {
    const sent: Array<{ Key?: string; Tagging?: unknown }> = [];
    const s3 = resources.clients.s3;
    const name = `record-tagging-${process.pid}`;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== PutObjectTaggingCommand.name) return next(args);
        const input = args.input as { Key?: string; Tagging?: unknown };
        sent.push(input);
        if (input.Key?.endsWith('/3.json')) throw Object.assign(new Error('missing'), { name: 'NoSuchKey' });
        return { output: { $metadata: {} }, response: {} } as never;
      },
      { step: 'initialize', name },
    );
    const statics = new S3StaticCopies(s3, bucket, { tagging: true });
    const v = { feedId: 'tags', version: 5, publishAt: 5, pageSize: 1, totalPages: 3, totalItems: 3, complete: true, expiresAt: 9 };

    await statics.setSuperseded(v, true);
    await statics.setSuperseded(v, false);
    s3.middlewareStack.remove(name);

    const tag = (value: string) => ({ TagSet: [{ Key: SUPERSEDED_TAG_KEY, Value: value }] });
    const requests = (list: unknown[][]) => list.map((r) => JSON.stringify(r)).sort();
    expect(requests(sent.map((s) => [s.Key, s.Tagging]))).toEqual(
      requests(
        [1, 2, 3].flatMap((p) => [
          [staticPagePath('tags', 5, p), tag('true')],
          [staticPagePath('tags', 5, p), tag('false')],
        ]),
      ),
    );
  });
});
