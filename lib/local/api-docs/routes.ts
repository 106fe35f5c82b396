import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentText } from '../../contract/artifacts.js';
import { openApiDocument } from '../../contract/openapi.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const swaggerUi = (file: string) => require.resolve(`swagger-ui-dist/${file}`);

/** The reference page and what it loads, all from this machine (Swagger UI from node_modules), so it works offline. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/docs': { file: path.join(here, 'assets', 'index.html'), type: 'text/html; charset=utf-8' },
  '/docs/init.js': { file: path.join(here, 'assets', 'init.js'), type: 'text/javascript; charset=utf-8' },
  '/docs/swagger-ui.css': { file: swaggerUi('swagger-ui.css'), type: 'text/css; charset=utf-8' },
  '/docs/swagger-ui-bundle.js': { file: swaggerUi('swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
};

/**
 * The API's contract on the local gateway, for `ApiGatewayOptions.localRoutes`:
 * - `GET /openapi.json`: the OpenAPI 3.1 document (lib/contract/openapi.ts), with the URL the
 *   client called (its Host header) listed first among its servers;
 * - `GET /docs`: a readable reference of it (Swagger UI).
 * Returns false for anything else. Local only: on AWS the document is `clients/openapi.json`.
 */
export function apiDocsRoutes(): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const documents = new Map<string, string>();
  const documentFor = (host: string) => {
    const url = `http://${host}`;
    let text = documents.get(url);
    if (text === undefined) {
      text = documentText(openApiDocument({ servers: [{ url, description: 'This local runtime' }] }));
      if (documents.size < 16) documents.set(url, text); // a few hosts (localhost, 127.0.0.1), never unbounded
    }
    return text;
  };
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === '/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(documentFor(req.headers.host ?? '127.0.0.1'));
      return true;
    }
    const asset = ASSETS[pathname === '/docs/' ? '/docs' : pathname];
    if (!asset) return false;
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
    res.end(readFileSync(asset.file));
    return true;
  };
}
