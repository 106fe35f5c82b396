import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../bin/demo.js';
import { ROOT } from '../../lib/build/functions.js';
import { demoCatalog } from '../../lib/local/demo-data.js';
import { freePort, portAccepts } from '../../lib/local/tcp-ports.js';
import { call } from '../helpers/api.js';

/** Generous, finite: a start-up on a busy two-core machine. */
const READY_WITHIN_MS = 240_000;
/** How long processes may take to go away once told to stop. */
const GONE_WITHIN_MS = 30_000;

interface Started {
  npm: ChildProcess;
  ports: { api: number; dynamodb: number; messaging: number };
  output: () => string;
  exited: Promise<number | null>;
  startedAt: number;
}

const running: Started[] = [];
afterEach(() => {
  // A failed test must not leave its runtime behind for the next one (SIGKILL to the group, and
  // to the emulators: they live in groups of their own).
  for (const r of running.splice(0)) {
    for (const p of descendants(r.npm.pid ?? -1)) killQuietly(p.pid);
    killQuietly(-(r.npm.pid ?? 0));
  }
});

/** `npm start` as a user runs it from a terminal: in a process group of its own. */
async function npmStart(env: Record<string, string> = {}): Promise<Started> {
  const ports = { api: await freePort(), dynamodb: await freePort(), messaging: await freePort() };
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(ports.api),
      DYNAMODB_PORT: String(ports.dynamodb),
      FAUXQS_PORT: String(ports.messaging),
      NODE_NO_WARNINGS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  npm.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const started: Started = { npm, ports, output: () => output, exited, startedAt: performance.now() };
  running.push(started);
  return started;
}

/** Polls the API port the way a script waiting for `npm start` does. */
async function untilPortOpens(r: Started): Promise<void> {
  let done = false;
  void r.exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!(await portAccepts(r.ports.api))) {
    if (done) throw new Error(`npm start exited before it opened its port:\n${r.output().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`port ${r.ports.api} not open within ${READY_WITHIN_MS} ms:\n${r.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

function processes(): Proc[] {
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] as string }));
}

/** Every process below `root` (the runtime: node, the emulators' watchdog and JVM, fauxqs, esbuild). */
function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length) {
    const children = all.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
}

/** Waits until none of `tree` (same PID, same command) is alive and none of `ports` accepts. */
async function nothingLeft(tree: Proc[], ports: number[]): Promise<{ alive: Proc[]; open: number[] }> {
  const deadline = Date.now() + GONE_WITHIN_MS;
  for (;;) {
    const now = processes();
    const alive = tree.filter((p) => now.some((q) => q.pid === p.pid && q.args === p.args));
    const open: number[] = [];
    for (const port of ports) if (await portAccepts(port)) open.push(port);
    if ((alive.length === 0 && open.length === 0) || Date.now() > deadline) return { alive, open };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** The runtime's processes once it is up: npm itself and everything below it. */
function runtimeTree(r: Started): { tree: Proc[]; node: Proc; jvm: Proc; fauxqs: Proc } {
  const npmPid = r.npm.pid ?? -1;
  const tree = [...processes().filter((p) => p.pid === npmPid), ...descendants(npmPid)];
  const find = (what: string, test: (p: Proc) => boolean) => {
    const found = tree.find(test);
    if (!found) throw new Error(`no ${what} among ${JSON.stringify(tree, null, 1)}`);
    return found;
  };
  return {
    tree,
    node: find('node process', (p) => p.args.includes('bin/local.ts') && !p.args.startsWith('npm')),
    jvm: find('JVM', (p) => p.args.includes('DynamoDBLocal.jar') && p.args.startsWith('java')),
    fauxqs: find('fauxqs', (p) => p.args.includes('fauxqs-child')),
  };
}

describe('npm start (bin/local.ts) as a user runs it', () => {
  it('answers every README demo call as documented on its very first answer, sold-out fast path and hold expiry included', async () => {
    const r = await npmStart({ HOLD_SECONDS: '30' });
    await untilPortOpens(r);
    const portOpenMs = performance.now() - r.startedAt;
    const url = `http://127.0.0.1:${r.ports.api}`;

    const product = await call(`${url}/v1/products/DEMO-0001`);
    const firstOkMs = performance.now() - r.startedAt;
    const feed = await call(`${url}/v1/feeds/todays-picks?page=1`);
    // The buyer's flow as the README shows it: a token, a deduction, its status until decided, a
    // confirm, a cancel.
    const tokens = async (body: object) => call(`${url}/_local/tokens`, { method: 'POST', body: JSON.stringify(body) });
    const alice = await tokens({ username: 'alice' });
    const deduction = await call(`${url}/v1/products/FLASH-0001/deductions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': '6f1c2a9e-demo-0001', Authorization: alice.body.idToken },
      body: JSON.stringify({ quantity: 1 }),
    });
    const status = await call(`${url}/v1/deductions/${deduction.body.id}`, { headers: { Authorization: alice.body.idToken } });
    const held = await until(async () => {
      const poll = await call(`${url}/v1/deductions/${deduction.body.id}`, { headers: { Authorization: alice.body.idToken } });
      return poll.body.status === 'QUEUED' ? undefined : poll;
    }, 60_000);
    const confirmed = await call(`${url}/v1/deductions/${deduction.body.id}/confirm`, {
      method: 'POST',
      headers: { Authorization: alice.body.idToken },
    });
    const cancelled = await call(`${url}/v1/deductions/${deduction.body.id}/cancel`, {
      method: 'POST',
      headers: { Authorization: alice.body.idToken },
    });
    const ops = await tokens({ username: 'ops', groups: ['admins'] });
    const price = await call(`${url}/v1/admin/products/DEMO-0002/price`, {
      method: 'PUT',
      headers: { Authorization: ops.body.idToken, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1299, currency: 'EUR' }),
    });
    const health = await call(`${url}/v1/health`);
    const liveView = await fetch(`${url}/_local/`);
    const openapi = await call(`${url}/openapi.json`);
    const docs = await fetch(`${url}/docs`);
    const demo = await runDemo({ baseUrl: url, username: 'demo-reader', log: () => undefined });
    console.info(`npm start: port open after ${(portOpenMs / 1000).toFixed(1)} s, first 200 after ${(firstOkMs / 1000).toFixed(1)} s`);

    expect(product).toMatchObject({ status: 200, body: { sku: 'DEMO-0001', versions: { info: 1, price: 1, stock: 1 }, degraded: [] } });
    expect(feed.status).toBe(200);
    expect(feed.body).toMatchObject({ version: expect.any(Number), hasMore: true });
    expect(feed.body.items).toHaveLength(20);
    expect(alice).toMatchObject({ status: 200, body: { idToken: expect.any(String), accessToken: expect.any(String), expiresIn: 3600 } });
    expect(deduction).toMatchObject({ status: 202, body: { status: 'QUEUED', id: expect.stringMatching(/^d_/) } });
    expect(status).toMatchObject({ status: 200, body: { id: deduction.body.id, sku: 'FLASH-0001', quantity: 1 } });
    expect(held?.body).toMatchObject({ status: 'HELD', expiresAt: expect.any(String) });
    expect(Date.parse(held?.body.expiresAt) - Date.parse(held?.body.decidedAt)).toBe(30_000);
    expect(confirmed).toMatchObject({ status: 200, body: { id: deduction.body.id, status: 'CONFIRMED' } });
    expect(cancelled).toMatchObject({ status: 200, body: { id: deduction.body.id, status: 'CANCELLED' } });
    expect(ops.status).toBe(200);
    expect(price).toMatchObject({ status: 200, body: { amount: 1299, currency: 'EUR' } });
    expect(r.output()).toMatch(/Crest is ready at http:\/\/127\.0\.0\.1:\d+ {2}\(ready in \d+\.\d s/);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect([liveView.status, liveView.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await liveView.text()).toContain('<title>Crest · live local view</title>');
    expect(r.output()).toContain(`live view:     http://127.0.0.1:${r.ports.api}/_local/`);
    expect(openapi).toMatchObject({ status: 200, body: { openapi: '3.1.0' } });
    expect(openapi.body.servers[0].url).toBe(url);
    expect(docs.status).toBe(200);
    expect(demo.decided.status).toBe('HELD');

    // A small flash sale: buy out a SKU with a few units, then the next POST is 409 SOLD_OUT.
    const small = demoCatalog().find((p) => p.stock.quantity >= 2 && p.stock.quantity <= 5);
    if (!small) throw new Error('the demo catalog has no SKU with 2-5 units');
    const sku = small.info.sku;
    const buy = async (user: string) =>
      call(`${url}/v1/products/${sku}/deductions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'Idempotency-Key': `sell-out-${sku}-${user}`,
          Authorization: (await tokens({ username: user })).body.idToken,
        },
        body: JSON.stringify({ quantity: 1 }),
      });
    const accepted = await Promise.all(Array.from({ length: small.stock.quantity }, (_, i) => buy(`buyer-${i}`)));
    expect(accepted.map((a) => a.status)).toEqual(accepted.map(() => 202));
    const settled = await until(async () => {
      const states = await Promise.all(
        accepted.map(async (a, i) => {
          const token = (await tokens({ username: `buyer-${i}` })).body.idToken;
          return (await call(`${url}${a.headers.get('location')}`, { headers: { Authorization: token } })).body.status;
        }),
      );
      return states.every((s) => s !== 'QUEUED') ? states : undefined;
    }, 60_000);
    // The contract: a flag at most ~1 s stale once the stream has seen the sell-out; 15 s is a
    // generous bound for a busy machine, far below the backlog a seeded stream used to hold.
    const soldOutFrom = performance.now();
    const soldOut = await until(async () => {
      const next = await buy(`late-buyer-${Date.now()}`);
      return next.status === 409 ? next : undefined;
    }, 15_000);
    console.info(`npm start: 409 SOLD_OUT ${Math.round(performance.now() - soldOutFrom)} ms after the last unit was settled`);

    expect(settled).toEqual(accepted.map(() => 'HELD'));
    expect(soldOut?.body.error.code).toBe('SOLD_OUT');

    // Nobody confirms: 30 s after the decision the holds expire, the units are back, and the
    // sold-out flag clears, so the next buyer is accepted again.
    const reread = async (a: (typeof accepted)[number], i: number) =>
      (
        await call(`${url}${a.headers.get('location')}`, {
          headers: { Authorization: (await tokens({ username: `buyer-${i}` })).body.idToken },
        })
      ).body;
    const deadlines = await Promise.all(accepted.map(async (a, i) => Date.parse((await reread(a, i)).expiresAt)));
    const expired = await until(async () => {
      const states = await Promise.all(accepted.map(reread));
      return states.every((d) => d.status === 'EXPIRED') ? states : undefined;
    }, 120_000);
    const lateness = (expired ?? []).map((d, i) => Date.parse(d.completedAt) - (deadlines[i] ?? 0));
    const backOnSale = await until(async () => {
      const next = await buy(`after-expiry-${Date.now()}`);
      return next.status === 202 ? next : undefined;
    }, 30_000);
    const events = await call(`${url}/_local/events?type=Deduction&limit=1000`);
    const kinds = (id: string) =>
      (events.body.events as Array<{ 'detail-type': string; detail: { id: string } }>)
        .filter((e) => e.detail.id === id)
        .map((e) => e['detail-type'])
        .reverse();
    console.info(`npm start: holds expired ${lateness.join(', ')} ms after their deadline`);

    expect(expired?.map((d) => d.status)).toEqual(accepted.map(() => 'EXPIRED'));
    expect(lateness.every((ms) => ms >= 0)).toBe(true);
    expect(backOnSale?.status).toBe(202);
    expect(kinds(deduction.body.id)).toEqual(['Deduction HELD', 'Deduction CONFIRMED', 'Deduction CANCELLED']);
    for (const a of accepted) expect(kinds(a.body.id)).toEqual(['Deduction HELD', 'Deduction EXPIRED']);
    expect(r.output()).toMatch(/\[crest\] event Deduction EXPIRED id=d_/);

    // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
    const { tree } = runtimeTree(r);
    const stoppedAt = performance.now();
    process.kill(-(r.npm.pid ?? 0), 'SIGINT');
    const left = await nothingLeft(tree, Object.values(r.ports));
    console.info(
      `npm start: ${tree.length} processes, none left ${Math.round(performance.now() - stoppedAt)} ms after SIGINT to the group`,
    );
    expect(left).toEqual({ alive: [], open: [] });
  }, 420_000);

  const stops: Array<[string, (t: ReturnType<typeof runtimeTree>, npmPid: number) => void]> = [
    ['SIGINT to the node process alone', (t) => process.kill(t.node.pid, 'SIGINT')],
    ['SIGTERM to the node process alone', (t) => process.kill(t.node.pid, 'SIGTERM')],
    ['SIGHUP to the process group (terminal closed)', (_t, npmPid) => process.kill(-npmPid, 'SIGHUP')],
    ['SIGKILL of the parent (npm)', (_t, npmPid) => process.kill(npmPid, 'SIGKILL')],
    ['SIGKILL of the node process itself', (t) => process.kill(t.node.pid, 'SIGKILL')],
  ];
  it.each(stops)(
    'leaves no process and no open port after %s',
    async (name, stop) => {
      const r = await npmStart();
      await untilPortOpens(r);
      const t = runtimeTree(r);

      const stoppedAt = performance.now();
      stop(t, r.npm.pid ?? -1);
      const left = await nothingLeft(t.tree, Object.values(r.ports));
      console.info(`npm start: ${t.tree.length} processes, none left ${Math.round(performance.now() - stoppedAt)} ms after ${name}`);

      expect(left).toEqual({ alive: [], open: [] });
    },
    420_000,
  );

  it('says in one line that the port is taken (naming it and PORT), exits non-zero and starts nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await npmStart({ PORT: String(taken) });
      const code = await r.exited;
      const messages = r
        .output()
        .split('\n')
        .filter((l) => l.startsWith('[crest]'));

      expect(code).not.toBe(0);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(String(taken));
      expect(messages[0]).toContain('PORT=');
      expect(await nothingLeft([], [r.ports.dynamodb, r.ports.messaging])).toEqual({ alive: [], open: [] });
      expect(processes().filter((p) => p.args.includes(`-port ${r.ports.dynamodb}`))).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 120_000);
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
