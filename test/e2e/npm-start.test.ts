import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/functions.js';
import { JavaMissingError, startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm start (bin/local.ts) as a user runs it', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('prints a banner, serves the demo product and feed, and leaves no Java process after Ctrl-C', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin', 'local.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', FAUXQS_PORT: '0', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const deadline = Date.now() + 120_000;
    while (!/Ctrl-C stops everything/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const url = /Crest is running at (http:\/\/\S+)/.exec(output)?.[1];
    const dynamoPort = Number(/DynamoDB:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(url, output.slice(-2000)).toBeDefined();

    const product = await fetch(`${url}/v1/products/DEMO-0001`);
    const feed = await fetch(`${url}/v1/feeds/todays-picks?page=1`);
    expect(product.status).toBe(200);
    expect(feed.status).toBe(200);
    expect(output).toContain(`curl ${url}/v1/products/DEMO-0001`);
    expect(await portOpen(dynamoPort)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await portOpen(dynamoPort)).toBe(false);
  }, 150_000);
});

describe('startDynamoDbLocal without Java', () => {
  it('fails with a message that says what to install and the LocalStack alternative', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const failure = await startDynamoDbLocal({ port: 0 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(JavaMissingError);
      expect((failure as Error).message).toMatch(/Java 17/);
      expect((failure as Error).message).toMatch(/docker compose up -d && npm run deploy:local/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
