/**
 * `npm run view:shot`: a screenshot of the live view mid-sale for the README. Starts the local
 * runtime (demo data, on a free port), opens http://…/_local/ in Debian's Chromium, sends a
 * flash-sale burst at FLASH-0001, and saves the page while the queue drains.
 *
 *   VIEW_SHOT=docs/img/live-view.png  VIEW_SHOT_REQUESTS=4000  npm run view:shot
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FLASH_SKU } from '../lib/local/demo-data.js';
import { launchChromium } from '../lib/local/live-view/browser.js';
import { deductionBurst } from '../lib/local/live-view/demo-burst.js';
import { startLocalRuntime } from '../lib/local/runtime.js';

const out = path.resolve(process.env.VIEW_SHOT ?? 'docs/img/live-view.png');
const requests = Number(process.env.VIEW_SHOT_REQUESTS ?? 4000);
const log = (line: string) => console.log(`[view:shot] ${line}`);

const runtime = await startLocalRuntime({
  port: 0,
  outdir: mkdtempSync(path.join(os.tmpdir(), 'crest-view-shot-')),
  namePrefix: 'shot-',
  context: { apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 },
  log,
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1020 }, deviceScaleFactor: 1 });
  await page.goto(`${runtime.url}/_local/`);
  await page.waitForFunction('window.crestLiveView.samples.length >= 3');
  log(`sending ${requests} deduction requests for ${FLASH_SKU}…`);
  const sale = deductionBurst({ url: runtime.url, sku: FLASH_SKU, total: requests, concurrency: 50, tag: 'shot' });
  // Mid-sale: the queue has filled and the consumers are draining it.
  await page.waitForFunction(
    `(() => { const s = window.crestLiveView.samples; const q = s.at(-1)?.queues.find((x) => x.name.includes('DeductionsQueue'));
      return s.filter((x) => x.acceptedPerSecond > 0).length >= 8 && q && q.running > 0; })()`,
    null,
    { timeout: 120_000 },
  );
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  log(`saved ${path.relative(process.cwd(), out)}`);
  const statuses = await sale;
  log(`burst answered: ${[...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}`);
} finally {
  await browser.close();
  await runtime.stop();
}
process.exit(0);
