import {
  buy,
  type CrestClient,
  cancelDeduction,
  confirmDeduction,
  createCrestClient,
  type Deduction,
  waitForDeduction,
} from '../clients/typescript/src/index.js';

/**
 * `npm run demo` (with `npm start` running): a buyer's flash-sale purchase through the typed
 * client (clients/typescript), the way a mobile app does it: sign in (the local issuer stands in
 * for Cognito), buy with an Idempotency-Key (retried with the same key on a timeout, a 503 or a
 * gateway 5xx), poll until decided (honouring Retry-After), confirm the hold before it
 * expires, then cancel (a refund: the units go back to stock).
 */
export interface DemoOptions {
  baseUrl: string;
  sku?: string;
  username?: string;
  /** A fetch of your own (the e2e test holds every answer to the OpenAPI document through one). */
  fetch?: (request: Request) => Promise<Response>;
  log?: (line: string) => void;
}

export async function runDemo(options: DemoOptions): Promise<{ decided: Deduction; confirmed?: Deduction; cancelled?: Deduction }> {
  const { baseUrl, sku = 'FLASH-0001', username = 'alice', log = console.log } = options;
  const fetchFn = options.fetch ?? ((request: Request) => fetch(request));
  const tokens = await fetchFn(
    new Request(`${baseUrl}/_local/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    }),
  );
  if (!tokens.ok) throw new Error(`POST /_local/tokens: ${tokens.status} ${await tokens.text()}`);
  const { idToken } = (await tokens.json()) as { idToken: string };
  const client: CrestClient = createCrestClient({ baseUrl, token: idToken, ...(options.fetch ? { fetch: options.fetch } : {}) });

  const product = await client.GET('/v1/products/{sku}', { params: { path: { sku } } });
  if (!product.data) throw new Error(`GET /v1/products/${sku}: ${product.response.status} ${product.error?.error.code}`);
  log(`${product.data.name}: ${product.data.stock?.quantity ?? '?'} in stock`);

  const bought = await buy(client, { sku, quantity: 1 });
  if (!bought.ok) throw new Error(`buy refused: ${bought.status} ${bought.error.error.code} (key ${bought.idempotencyKey})`);
  log(`bought: ${bought.accepted.id} ${bought.accepted.status} (Idempotency-Key ${bought.idempotencyKey}, ${bought.retries} retries)`);

  const decided = await waitForDeduction(client, bought.accepted.id, { timeoutMs: 30_000 });
  log(`decided: ${decided.status}${decided.reason ? ` (${decided.reason})` : ''}`);
  if (decided.status !== 'HELD') return { decided };
  log(`held until ${decided.expiresAt}: confirm before then, or the units go back to stock`);

  const confirmed = await confirmDeduction(client, decided.id);
  log(`confirmed: ${confirmed.status}`);
  const cancelled = await cancelDeduction(client, decided.id);
  log(`cancelled (refund): ${cancelled.status}`);
  return { decided, confirmed, cancelled };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDemo({ baseUrl: process.env.CREST_URL ?? 'http://localhost:3000' });
}
