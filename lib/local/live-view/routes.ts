import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveObserver } from './observer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

interface Asset {
  file: string;
  type: string;
}

/**
 * The page and what it loads, all from this machine: the page, its script and styles
 * (lib/local/live-view/assets/), and uPlot (MIT, ~50 KB) from node_modules, so the view works
 * offline.
 */
const ASSETS: Record<string, Asset> = {
  '/_local/': { file: path.join(here, 'assets', 'index.html'), type: 'text/html; charset=utf-8' },
  '/_local/live-view.js': { file: path.join(here, 'assets', 'live-view.js'), type: 'text/javascript; charset=utf-8' },
  '/_local/live-view.css': { file: path.join(here, 'assets', 'live-view.css'), type: 'text/css; charset=utf-8' },
  '/_local/uplot.js': { file: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/_local/uplot.css': { file: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Server-sent events: a comment this often keeps proxies and browsers from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * The live view's routes on the local gateway (`/_local/…`), for `ApiGatewayOptions.localRoutes`:
 * - `GET /_local/`: the page;
 * - `GET /_local/live`: server-sent events, the history first (`event: history`), then one
 *   sample a second;
 * - `GET /_local/live.json`: the history and a sample taken now (for scripts).
 * Returns false for anything else, which the gateway then serves as usual.
 */
export function liveViewRoutes(observer: LiveObserver): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const target = pathname === '/_local' ? '/_local/' : pathname;
    const asset = ASSETS[target];
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
      res.end(readFileSync(asset.file));
      return true;
    }
    if (target === '/_local/live') {
      streamSamples(observer, req, res);
      return true;
    }
    if (target === '/_local/live.json') {
      observer.sample().then(
        (latest) => {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ history: observer.history(), latest }));
        },
        (error: Error) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'SAMPLE_FAILED', message: error.message } }));
        },
      );
      return true;
    }
    return false;
  };
}

function streamSamples(observer: LiveObserver, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(`event: history\ndata: ${JSON.stringify(observer.history())}\n\n`);
  const unsubscribe = observer.subscribe((sample) => res.write(`data: ${JSON.stringify(sample)}\n\n`));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  const close = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on('close', close);
  res.on('error', close);
}
