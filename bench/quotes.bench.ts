import type { ProductDto } from '../src/contracts/quotes.ts';
import { createDeal } from '../src/server/modules/deals/deals.service.ts';
import {
  createPriceList,
  createProduct,
  setPriceListItems,
} from '../src/server/modules/quotes/quotes.catalog.service.ts';
import { renderQuotePdf } from '../src/server/modules/quotes/quotes.pdf.ts';
import { createQuote, listQuotes } from '../src/server/modules/quotes/quotes.service.ts';
import type { Actor } from '../src/server/modules/workspaces/workspaces.policy.ts';
import type { Runtime } from '../src/server/runtime.ts';
import { type Stats, sample, stats } from './lib.ts';

export interface QuoteFigures {
  /** A 10-line quote from the price list: number, prices, totals, lines, audit. */
  create: Stats;
  /** The quote as a PDF in Chinese with the CJK font subset embedded. */
  pdf: Stats & { bytes: number };
  /** First page of the quotes list with lines (50 rows). */
  list: Stats;
}

/** Quotes on one deal of an existing contact, with a 40-product catalogue and a CNY price list. */
export async function quoteFigures(
  rt: Runtime,
  actor: Actor,
  contactId: string,
  n: number,
): Promise<QuoteFigures> {
  const stamp = Date.now().toString(36);
  const products: ProductDto[] = [];
  for (let i = 0; i < 40; i++) {
    products.push(
      await createProduct(rt.ctx, actor, {
        sku: `B-${stamp}-${i}`,
        name: i % 2 ? `Bench pump ${i}` : `不锈钢球阀 ${i}`,
        unit: 'pcs',
      }),
    );
  }
  const list = await createPriceList(rt.ctx, actor, { name: `Bench ${stamp}`, currency: 'CNY' });
  await setPriceListItems(rt.ctx, actor, list.id, {
    items: products.map((p, i) => ({ productId: p.id, unitPriceMinor: 10_000 + i * 137 })),
  });
  const deal = await createDeal(rt.ctx, actor, { name: `Bench deal ${stamp}`, contactId, currency: 'CNY' });
  let last = '';
  const create = await sample(n, async (i) => {
    const q = await createQuote(rt.ctx, actor, {
      dealId: deal.id,
      priceListId: list.id,
      discountPercent: 5,
      taxRatePercent: 13,
      lines: products.slice(0, 10).map((p, k) => ({ productId: p.id, quantity: 1 + (Math.abs(i + k) % 5) })),
    });
    last = q.id;
  });
  let bytes = 0;
  const pdf = await sample(Math.max(5, Math.floor(n / 2)), async () => {
    bytes = (await renderQuotePdf(rt.ctx, actor, last, 'zh-CN')).bytes.length;
  });
  const listed = await sample(n, () => listQuotes(rt.ctx, actor, { limit: 50 }));
  return {
    create: stats(create.samples),
    pdf: { ...stats(pdf.samples), bytes },
    list: stats(listed.samples),
  };
}
