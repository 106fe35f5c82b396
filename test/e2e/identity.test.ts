import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogReader } from '../../lambdas/adapters/dynamo-catalog.js';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import { LocalIdentity } from '../../lib/local/identity/local-identity.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

/**
 * Buyers are who the token says, tried as a hostile client would through the local runtime (the
 * Cognito authorizer as API Gateway applies it, the deployed bundles behind it). Each of the
 * issue's three attacks is performed as it was reported, and its answer printed.
 */
describe('identity on the buy path (local runtime)', () => {
  let runtime: LocalRuntime;
  let catalog: DynamoCatalogReader;
  let deductionsTable: string;

  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false, context: { apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 } });
    const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
    const catalogTable = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
    deductionsTable = runtime.resourceName('AWS::DynamoDB::Table', 'StockDeductions');
    await seedCatalog(
      doc,
      catalogTable,
      ['ID-LIMIT', 'ID-MANY', 'ID-READ', 'ID-SQUAT', 'ID-BAD', 'ID-ADMIN'].map((sku) => flashSaleProduct(100, sku)),
    );
    catalog = new DynamoCatalogReader(doc, catalogTable);
  });
  afterAll(() => runtime?.stop());

  const buy = (sku: string, key: string, token: string | undefined, body: unknown = { quantity: 1 }) =>
    call(`${runtime.url}/v1/products/${sku}/deductions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token === undefined ? {} : { authorization: token }) },
      body: JSON.stringify(body),
    });
  const status = (id: string, token: string) => call(`${runtime.url}/v1/deductions/${id}`, { headers: { authorization: token } });
  const cancel = (id: string, token: string) =>
    call(`${runtime.url}/v1/deductions/${id}/cancel`, { method: 'POST', headers: { authorization: token } });
  const stock = async (sku: string) => (await catalog.getStock(sku))?.quantity;
  const records = async () =>
    (await runtime.clients.dynamodb.send(new ScanCommand({ TableName: deductionsTable, Select: 'COUNT', ConsistentRead: true }))).Count;
  /** The shape of an answer: its status and every key of its body, with the values that must match. */
  const shape = (res: Awaited<ReturnType<typeof call>>) => ({
    status: res.status,
    keys: Object.keys(res.body ?? {}).sort(),
    errorKeys: Object.keys(res.body?.error ?? {}).sort(),
    code: res.body?.error?.code,
  });
  const report = (attack: string, lines: string[]) => console.info(`[attack] ${attack}\n  ${lines.join('\n  ')}`);

  it('attack 1, limit bypass with many user ids: the body cannot name a user, and one sub with many keys gets the limit', async () => {
    const mallory = await runtime.token('mallory');
    const names = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'Mallory', 'MALLORY', 'mallory', 'mallory ', 'm@x'];
    const asNames = await Promise.all(names.map((userId, i) => buy('ID-LIMIT', `bypass-name-${i}-key`, mallory, { quantity: 1, userId })));
    const asKeys = await Promise.all(Array.from({ length: 20 }, (_, i) => buy('ID-MANY', `bypass-key-${i}-xyz`, mallory)));
    await runtime.settle();
    const outcomes = await Promise.all(asKeys.map(async (r) => (await status(r.body.id, mallory)).body));
    const succeeded = outcomes.filter((o) => o.status === 'HELD');
    report('1: one client, 10 user ids in the body, then 20 keys at once under one token (limit 1 per user)', [
      `userId in the body: ${JSON.stringify(asNames.map((r) => r.status))} ${JSON.stringify(asNames[0]?.body.error)}`,
      `20 keys: ${asKeys.filter((r) => r.status === 202).length}× 202, settled ${JSON.stringify(outcomes.map((o) => o.reason ?? o.status))}`,
      `stock of ID-MANY: 100 → ${await stock('ID-MANY')}`,
    ]);

    // Refused by the gateway's model (the function, which refuses it too, is never reached), naming the field.
    for (const res of asNames) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_BODY', details: expect.stringContaining('["userId"]') });
    }
    expect(await stock('ID-LIMIT')).toBe(100);
    expect(asKeys.map((r) => r.status)).toEqual(asKeys.map(() => 202));
    expect(new Set(asKeys.map((r) => r.body.id)).size).toBe(20);
    expect(succeeded).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'REJECTED').map((o) => o.reason)).toEqual(Array(19).fill('LIMIT_EXCEEDED'));
    expect(await stock('ID-MANY')).toBe(99);
  });

  it('attack 2, reading and cancelling another buyer’s deduction by deriving its id: 404, exactly as an unknown id', async () => {
    const [alice, mallory] = await Promise.all([runtime.token('alice'), runtime.token('mallory')]);
    const key = '6f1c2a9e-alice-0001';
    const bought = await buy('ID-READ', key, alice);
    await runtime.settle();
    // How the id used to be derived: from the key alone, which a client can compute offline.
    const derived = `d_${createHash('sha256').update(key).digest('base64url').slice(0, 26)}`;
    const unknown = `d_${'A'.repeat(26)}`;

    const readDerived = await status(derived, mallory);
    const readLeaked = await status(bought.body.id, mallory);
    const readUnknown = await status(unknown, mallory);
    const cancelLeaked = await cancel(bought.body.id, mallory);
    const cancelUnknown = await cancel(unknown, mallory);
    const aliceSees = await status(bought.body.id, alice);
    report('2: mallory knows alice’s key, derives the old id, and even holds alice’s real id', [
      `alice's id ${bought.body.id}; the key-derived id ${derived} (${derived === bought.body.id ? 'equal' : 'not the id'})`,
      `GET derived: ${readDerived.status} ${JSON.stringify(readDerived.body.error)}`,
      `GET alice's id: ${readLeaked.status} ${JSON.stringify(readLeaked.body.error)}`,
      `POST alice's id/cancel: ${cancelLeaked.status} ${JSON.stringify(cancelLeaked.body.error)}`,
      `alice then sees: ${aliceSees.status} ${aliceSees.body.status}; stock of ID-READ 100 → ${await stock('ID-READ')}`,
    ]);

    expect(derived).not.toBe(bought.body.id);
    for (const [res, id] of [
      [readDerived, derived],
      [readLeaked, bought.body.id],
      [cancelLeaked, bought.body.id],
    ] as const) {
      expect(shape(res)).toEqual(shape(readUnknown));
      expect(res.body.error.message).toBe(`No deduction ${id}`);
    }
    expect(shape(cancelUnknown)).toEqual(shape(readUnknown));
    expect(readUnknown).toMatchObject({ status: 404, body: { error: { code: 'DEDUCTION_NOT_FOUND' } } });
    expect(readLeaked.headers.get('cache-control')).toBe(readUnknown.headers.get('cache-control'));
    expect(aliceSees.body).toMatchObject({ id: bought.body.id, status: 'HELD' });
    expect(Object.keys(aliceSees.body).sort()).toEqual(['createdAt', 'decidedAt', 'expiresAt', 'id', 'quantity', 'sku', 'status']);
    expect(await stock('ID-READ')).toBe(99);
  });

  it('attack 3, key squatting: whoever uses a key first owns it only for themselves', async () => {
    const [alice, mallory] = await Promise.all([runtime.token('alice-squat'), runtime.token('mallory-squat')]);
    const key = '6f1c2a9e-squat-0001';

    const squat = await buy('ID-SQUAT', key, mallory, { quantity: 1 });
    const owner = await buy('ID-SQUAT', key, alice, { quantity: 1 });
    const retry = await buy('ID-SQUAT', key, alice, { quantity: 1 });
    const reused = await buy('ID-SQUAT', key, alice, { quantity: 3 });
    await runtime.settle();
    const [aliceSees, mallorySees] = await Promise.all([status(owner.body.id, alice), status(squat.body.id, mallory)]);
    report('3: mallory uses alice’s key first', [
      `mallory: ${squat.status} ${squat.body.id}; alice: ${owner.status} ${owner.body.id}; alice's retry: ${retry.status} ${retry.body.id}`,
      `alice reusing her key with another body: ${reused.status} ${reused.body.error?.code}`,
      `settled: alice ${aliceSees.body.status}, mallory ${mallorySees.body.status}; stock of ID-SQUAT 100 → ${await stock('ID-SQUAT')}`,
    ]);

    expect(squat.status).toBe(202);
    expect(owner.status).toBe(202);
    expect(owner.body.id).not.toBe(squat.body.id);
    expect(retry.body.id).toBe(owner.body.id);
    expect(reused).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(aliceSees.body).toMatchObject({ status: 'HELD', quantity: 1 });
    expect(mallorySees.body).toMatchObject({ status: 'HELD', quantity: 1 });
    expect(await stock('ID-SQUAT')).toBe(98);
  });

  it('refuses every kind of bad token 401 in the error shape, and nothing changes', async () => {
    const issuer = runtime.identity.issuer();
    const good = await issuer.signIn({ username: 'eve' });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: issuer.subFor('eve'), token_use: 'id', aud: issuer.pool.clients[0]?.clientId, auth_time: now, iat: now };
    const [header, , signature] = good.idToken.split('.');
    const elsewhere = await LocalIdentity.create(runtime.stack.userPools);
    const bad: Record<string, string | undefined> = {
      missing: undefined,
      malformed: 'not.a.jwt',
      expired: await issuer.sign({ ...claims, iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }),
      'wrongly signed': (await elsewhere.signIn({ username: 'eve' })).idToken,
      'tampered sub': `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone', exp: now + 600 })).toString('base64url')}.${signature}`,
      'wrong client': await issuer.sign({ ...claims, aud: 'notaclientofthispool000000', exp: now + 600 }),
      'access token': good.accessToken,
    };
    const [recordsBefore, stockBefore] = [await records(), await stock('ID-BAD')];

    const answers = await Promise.all(
      Object.entries(bad).map(async ([kind, token]) => [kind, await buy('ID-BAD', `bad-token-${kind.replace(/\W/g, '')}`, token)] as const),
    );
    const reads = await Promise.all(
      Object.values(bad).map((token) =>
        call(`${runtime.url}/v1/deductions/d_${'B'.repeat(26)}`, token ? { headers: { authorization: token } } : {}),
      ),
    );
    await runtime.settle();

    for (const [kind, res] of answers) {
      expect([kind, res.status, res.body.error.code, Object.keys(res.body).sort()]).toEqual([
        kind,
        401,
        'UNAUTHORIZED',
        ['error', 'requestId'],
      ]);
    }
    expect(answers.find(([kind]) => kind === 'expired')?.[1].body.error.message).toBe('The incoming token has expired');
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 401));
    expect(await records()).toBe(recordsBefore);
    expect(await stock('ID-BAD')).toBe(stockBefore);
    expect((await buy('ID-BAD', 'bad-token-control', good.idToken)).status).toBe(202);
  });

  it('answers a buyer on an admin route 403 and changes nothing; an admin’s token works', async () => {
    const buyer = await runtime.token('shopper');
    const admin = await runtime.token('back-office-bot', ['admins']);
    const put = (token: string, quantity: number) =>
      call(`${runtime.url}/v1/admin/products/ID-ADMIN/stock`, {
        method: 'PUT',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ quantity }),
      });

    const refused = await put(buyer, 0);
    const unchanged = await stock('ID-ADMIN');
    const accepted = await put(admin, 7);

    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(unchanged).toBe(100);
    expect(accepted).toMatchObject({ status: 200, body: { sku: 'ID-ADMIN', quantity: 7 } });
    expect(await stock('ID-ADMIN')).toBe(7);
  });
});
