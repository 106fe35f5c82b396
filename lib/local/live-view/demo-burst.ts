/**
 * A small flash sale against the local API, for the live view's test and screenshot: `total`
 * deduction requests for one SKU, `concurrency` at a time, each from its own buyer (a token minted
 * by the local issuer, POST /_local/tokens) with its own Idempotency-Key. Resolves with the count
 * of each status answered.
 */
export async function deductionBurst(options: {
  url: string;
  sku: string;
  total: number;
  concurrency?: number;
  /** Distinguishes the keys and buyers of two bursts in one run. */
  tag?: string;
}): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const tag = options.tag ?? `${Date.now().toString(36)}`;
  let next = 0;
  const worker = async () => {
    while (next < options.total) {
      const i = next++;
      const token = await fetch(`${options.url}/_local/tokens`, {
        method: 'POST',
        body: JSON.stringify({ username: `buyer-${tag}-${i}` }),
      });
      const { idToken } = (await token.json()) as { idToken: string };
      const res = await fetch(`${options.url}/v1/products/${encodeURIComponent(options.sku)}/deductions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `live-${tag}-${i}`, authorization: idToken },
        body: JSON.stringify({ quantity: 1 }),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 20 }, worker));
  return statuses;
}
