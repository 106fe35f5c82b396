/**
 * npm run bench:feed — Today's picks through the local runtime beside a bare node:http server
 * answering the same bytes, in one run: unpinned page 1, a pinned page, and a 304 refresh. The
 * load generator (autocannon) runs in a child process (bench/lib/http.ts).
 */
import { DEMO_FEED } from '../lib/local/demo-data.js';
import { bareServer, load, snapshot } from './lib/http.js';
import { round, verdict, writeReport } from './lib/report.js';
import { benchRuntime } from './lib/runtime.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const runtime = await benchRuntime();

try {
  const page1 = `${runtime.url}/v1/feeds/${DEMO_FEED}?page=1`;
  const first = await fetch(page1);
  const version = ((await first.json()) as { version: number }).version;
  const etag = first.headers.get('etag') ?? '';
  const cases: Array<{ name: string; url: string; headers: Record<string, string> }> = [
    { name: 'page 1 (current version)', url: page1, headers: {} },
    { name: 'pinned page 3', url: `${runtime.url}/v1/feeds/${DEMO_FEED}?page=3&version=${version}`, headers: {} },
    { name: 'pull-to-refresh 304', url: page1, headers: { 'if-none-match': etag } },
  ];
  const rows = [];
  const raw: Record<string, unknown> = {};
  for (const c of cases) {
    const res = await fetch(c.url, { headers: c.headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    const snap = res.status === 304 ? { status: 304, headers: { etag }, body: Buffer.alloc(0) } : await snapshot(c.url);
    const bare = await bareServer(snap.status, snap.headers, res.status === 304 ? Buffer.alloc(0) : bytes);
    // Warm-up (JIT) for both, then the measured runs back to back.
    await load(c.url, { seconds: 4, connections: CONNECTIONS, headers: c.headers });
    await load(bare.url, { seconds: 2, connections: CONNECTIONS });
    const ours = await load(c.url, { seconds: SECONDS, connections: CONNECTIONS, headers: c.headers });
    const base = await load(bare.url, { seconds: SECONDS, connections: CONNECTIONS });
    await bare.close();
    const ratio = ours.requestsPerSec / base.requestsPerSec;
    raw[c.name] = { ours, base, bytes: bytes.length };
    rows.push(
      {
        metric: `${c.name}: req/s Crest / bare node:http (${bytes.length} B)`,
        value: `${round(ours.requestsPerSec, 0)} / ${round(base.requestsPerSec, 0)}`,
      },
      { metric: `${c.name}: ratio Crest / bare`, value: round(ratio, 2), target: '≥ 0.5', verdict: verdict(ratio >= 0.5) },
      { metric: `${c.name}: p50 / p99 ms (Crest)`, value: `${ours.p50Ms} / ${ours.p99Ms}` },
      {
        metric: `${c.name}: non-2xx/3xx + errors`,
        value: ours.errors + (c.name.includes('304') ? 0 : ours.non2xx),
        target: '0',
        verdict: verdict(ours.errors + (c.name.includes('304') ? 0 : ours.non2xx) === 0),
      },
    );
  }
  const ratios = Object.fromEntries(
    Object.entries(raw).map(([name, r]) => {
      const { ours, base } = r as { ours: { requestsPerSec: number }; base: { requestsPerSec: number } };
      return [name, round(ours.requestsPerSec / base.requestsPerSec, 3)];
    }),
  );
  await writeReport('feed', "bench:feed — Today's picks pages vs bare node:http", rows, raw, {
    summary: { ratios },
    notes: [
      'autocannon runs in a child process; the bare server and the local runtime run, one after the other, in the benchmark process.',
    ],
  });
} finally {
  await runtime.stop();
}
