import { describe, expect, it } from 'vitest';
import { type CatalogWriter, MAX_STOCK_QUANTITY } from '../../../lambdas/domain/catalog/ports.js';
import { NotFoundError, PreconditionFailedError } from '../../../lambdas/domain/errors.js';
import type { FeedCatalog } from '../../../lambdas/domain/feed/ports.js';
import type { CatalogReader } from '../../../lambdas/domain/product/ports.js';

/** The catalog ports over one store: written through `writer`, read back through the others. */
export interface CatalogWorld {
  reader: CatalogReader;
  writer: CatalogWriter;
  feeds: FeedCatalog;
}

let n = 0;
const newSku = () => `CT-${process.pid}-${Date.now().toString(36)}-${++n}`;

async function product(writer: CatalogWriter, quantity = 5) {
  const sku = newSku();
  await writer.putInfo(sku, { name: `Name ${sku}`, description: 'd', sales: 3 });
  await writer.setPrice(sku, { amount: 900, original: 1200, currency: 'EUR' });
  await writer.setStock(sku, quantity);
  return sku;
}

/** What every CatalogReader does, whatever stores the catalog. */
export function catalogReaderContract(name: string, make: () => Promise<CatalogWorld>) {
  describe(`${name} as CatalogReader`, () => {
    it('reads back info, price and stock as written, with their versions', async () => {
      const { reader, writer } = await make();
      const sku = await product(writer, 7);

      const [info, price, stock] = await Promise.all([reader.getInfo(sku), reader.getPrice(sku), reader.getStock(sku)]);

      expect(info).toEqual({ sku, name: `Name ${sku}`, description: 'd', version: 1, sales: 3, exposure: undefined, clicks: undefined });
      expect(price).toEqual({ sku, amount: 900, original: 1200, currency: 'EUR', version: 1 });
      expect(stock).toEqual({ sku, quantity: 7, version: 1 });
    });

    it('answers null for a SKU with no items', async () => {
      const { reader } = await make();

      expect(await reader.getInfo('NOT-THERE')).toBeNull();
      expect(await reader.getPrice('NOT-THERE')).toBeNull();
      expect(await reader.getStock('NOT-THERE')).toBeNull();
    });

    it('serves the newest version to a strongly consistent read', async () => {
      const { reader, writer } = await make();
      const sku = await product(writer);
      await writer.setPrice(sku, { amount: 800, original: 800, currency: 'EUR' });

      expect(await reader.getPrice(sku, undefined, { consistent: true })).toMatchObject({ amount: 800, version: 2 });
    });
  });
}

/** What every CatalogWriter does. */
export function catalogWriterContract(name: string, make: () => Promise<CatalogWorld>) {
  describe(`${name} as CatalogWriter`, () => {
    it('raises the version by one on every write', async () => {
      const { writer } = await make();
      const sku = newSku();

      const first = await writer.putInfo(sku, { name: 'A', description: '' });
      const second = await writer.putInfo(sku, { name: 'B', description: 'b' });

      expect([first.version, second.version]).toEqual([1, 2]);
      expect(second).toMatchObject({ sku, name: 'B', description: 'b' });
    });

    it('applies a write only at the If-Match version, and says which version is current otherwise', async () => {
      const { writer, reader } = await make();
      const sku = await product(writer);

      await expect(writer.setPrice(sku, { amount: 1, original: 1, currency: 'USD' }, 7)).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { expected: 7, current: 1 },
      });
      const applied = await writer.setPrice(sku, { amount: 2, original: 2, currency: 'USD' }, 1);

      expect(applied).toMatchObject({ amount: 2, version: 2 });
      expect(await reader.getPrice(sku)).toMatchObject({ amount: 2, version: 2 });
    });

    it('refuses price and stock for a product without info', async () => {
      const { writer } = await make();
      const sku = newSku();

      await expect(writer.setPrice(sku, { amount: 1, original: 1, currency: 'USD' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(writer.setStock(sku, 1)).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
      await expect(writer.addStock(sku, 1)).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    });

    it('adds and removes stock, never below zero nor above the maximum, changing nothing when refused', async () => {
      const { writer, reader } = await make();
      const sku = await product(writer, 5);

      const added = await writer.addStock(sku, 3);
      await expect(writer.addStock(sku, -9)).rejects.toMatchObject({ code: 'STOCK_WOULD_GO_NEGATIVE', kind: 'conflict' });
      await expect(writer.addStock(sku, MAX_STOCK_QUANTITY - 7)).rejects.toMatchObject({
        code: 'STOCK_WOULD_EXCEED_MAXIMUM',
        kind: 'conflict',
      });
      const filled = await writer.addStock(sku, MAX_STOCK_QUANTITY - 8);

      expect(added).toMatchObject({ quantity: 8, version: 2 });
      expect(filled).toMatchObject({ quantity: MAX_STOCK_QUANTITY, version: 3 });
      expect(await reader.getStock(sku)).toMatchObject({ quantity: MAX_STOCK_QUANTITY, version: 3 });
    });

    it('creates the stock item of a product that has none on its first restock', async () => {
      const { writer } = await make();
      const sku = newSku();
      await writer.putInfo(sku, { name: 'New', description: '' });

      await expect(writer.addStock(sku, -1)).rejects.toMatchObject({ code: 'STOCK_WOULD_GO_NEGATIVE' });
      expect(await writer.addStock(sku, 4)).toMatchObject({ quantity: 4, version: 1 });
    });

    it('checks If-Match on a restock before the bounds', async () => {
      const { writer } = await make();
      const sku = await product(writer, 5);

      await expect(writer.addStock(sku, -100, 9)).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await writer.addStock(sku, -5, 1)).toMatchObject({ quantity: 0, version: 2 });
    });
  });
}

/** What every FeedCatalog does. */
export function feedCatalogContract(name: string, make: () => Promise<CatalogWorld>) {
  describe(`${name} as FeedCatalog`, () => {
    it('lists every product that has info, with its price and stock', async () => {
      const { feeds, writer } = await make();
      const full = await product(writer, 2);
      const bare = newSku();
      await writer.putInfo(bare, { name: 'Bare', description: '' });

      const listed = (await feeds.products()).filter((p) => [full, bare].includes(p.info.sku));

      expect(listed.find((p) => p.info.sku === full)).toMatchObject({ price: { amount: 900 }, stock: { quantity: 2 } });
      expect(listed.find((p) => p.info.sku === bare)).toMatchObject({ price: null, stock: null });
    });

    it('returns the named products that exist and leaves out the rest', async () => {
      const { feeds, writer } = await make();
      const sku = await product(writer);

      const found = await feeds.productsBySku([sku, 'NOT-A-PRODUCT']);

      expect(found.map((p) => p.info.sku)).toEqual([sku]);
    });
  });
}
