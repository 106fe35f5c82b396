import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import { launchChromium } from '../../lib/local/live-view/browser.js';
import { deductionBurst } from '../../lib/local/live-view/demo-burst.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { bootRuntime } from '../helpers/runtime.js';

const SKU = 'LIVE-1';
const UNITS = 40;

describe('the live view at /_local/ in a real browser', () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false, context: { apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 } });
    await seedCatalog(DynamoDBDocumentClient.from(runtime.clients.dynamodb), runtime.resourceName('AWS::DynamoDB::Table', 'Catalog'), [
      flashSaleProduct(UNITS, SKU),
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('console', (m) => (m.type() === 'error' ? problems.push(`console: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => (r.url().endsWith('/_local/live') ? undefined : problems.push(`request failed: ${r.url()}`)));
  });
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const number = async (name: string) => Number((await page.textContent(`[data-figure="${name}"]`))?.replace(/,/g, ''));
  /** The samples the page has drawn (window.crestLiveView, see lib/local/live-view/assets/live-view.js). */
  const samples = async () =>
    (await page.evaluate('window.crestLiveView.samples')) as Array<{
      acceptedPerSecond: number;
      tracksDeductions: boolean;
      skus: Array<{ sku: string; onHand: number | null }>;
    }>;

  it('loads without a console error and starts receiving samples', async () => {
    await page.goto(`${runtime.url}/_local/`);
    await page.waitForFunction('window.crestLiveView.samples.length >= 2');

    expect(await page.getAttribute('#connection', 'data-state')).toBe('live');
    expect(await number('accepted-total')).toBe(0);
    expect(await page.locator('#chart-throughput canvas').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows a burst as it happens: accepts, decisions, stock on hand falling to sold out', async () => {
    const statuses = await deductionBurst({ url: runtime.url, sku: SKU, total: 120, concurrency: 12, tag: 'e2e' });
    const accepted = statuses.get(202) ?? 0;
    expect(accepted + (statuses.get(409) ?? 0)).toBe(120);

    await expect.poll(() => number('accepted-total'), { timeout: 30_000, interval: 250 }).toBe(accepted);
    const row = () => page.locator(`#skus tr[data-sku="${SKU}"] td`).allTextContents();
    await expect
      .poll(async () => (await row()).filter((_, i) => i === 1 || i === 4), { timeout: 60_000, interval: 250 })
      .toEqual(['0', 'sold out']);
    await expect.poll(() => number('decided-total'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(UNITS);
    const history = await samples();
    const [, , held, sold] = await row();
    // Held and sold come from the deductions table's stream: shown once the template gives it one.
    if (history.at(-1)?.tracksDeductions) expect(Number(held) + Number(sold)).toBe(UNITS);
    else expect([held, sold]).toEqual(['—', '—']);

    expect(Math.max(...history.map((s) => s.acceptedPerSecond))).toBeGreaterThan(0);
    const onHand = history.flatMap((s) => s.skus.filter((k) => k.sku === SKU).map((k) => k.onHand));
    expect(onHand).toContain(0);
    expect(problems).toEqual([]);
  }, 120_000);
});
