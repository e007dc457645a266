import { addUser, createTeam, createWorkspace, type TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { PriceListDto, ProductDto, QuoteDto } from '../../../contracts/quotes.ts';

/** A sales team: admin, a manager and a rep in one team, two products on a CNY price list, a deal. */
export interface SalesWorld {
  admin: TestUser;
  manager: TestUser;
  rep: TestUser;
  products: ProductDto[];
  priceList: PriceListDto;
  contactId: string;
  dealId: string;
}

export async function salesWorld(
  t: TestBackend,
  opts: { language?: string; currency?: string } = {},
): Promise<SalesWorld> {
  const admin = await createWorkspace(t);
  const team = await createTeam(t, admin.workspaceId);
  const manager = await addUser(t, admin.workspaceId, 'sales_manager', { teamIds: [team] });
  const rep = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [team] });
  const currency = opts.currency ?? 'CNY';
  const products: ProductDto[] = [];
  for (const [sku, name, description] of [
    ['VLV-100', '不锈钢球阀 DN100', 'Stainless ball valve'],
    ['PMP-7', 'Centrifugal pump', null],
  ] as const) {
    const res = await admin.api.post<ProductDto>('/api/products', { sku, name, description, unit: 'pcs' });
    products.push(ok(res, 201));
  }
  const priceList = ok(
    await admin.api.post<PriceListDto>('/api/price-lists', {
      name: `List ${currency}`,
      currency,
      market: 'CN',
    }),
    201,
  );
  ok(
    await admin.api.put(`/api/price-lists/${priceList.id}/items`, {
      items: [
        { productId: products[0]!.id, unitPriceMinor: 125_000 },
        { productId: products[1]!.id, unitPriceMinor: 80_000 },
      ],
    }),
    200,
  );
  const company = ok<{ id: string }>(
    await admin.api.post('/api/companies', { name: 'Shenzhen Valves Co.', ownerId: rep.userId }),
    201,
  );
  const contact = ok(
    await admin.api.post<{ id: string }>('/api/contacts', {
      firstName: '伟',
      lastName: '王',
      email: `wang${Math.random().toString(36).slice(2, 8)}@example.cn`,
      companyId: company.id,
      language: opts.language ?? 'zh-CN',
      ownerId: rep.userId,
    }),
    201,
  );
  const deal = ok(
    await rep.api.post<{ id: string }>('/api/deals', {
      name: 'Valves for Shenzhen plant',
      contactId: contact.id,
      ownerId: rep.userId,
      amountMinor: 500_000,
      currency,
    }),
    201,
  );
  return { admin, manager, rep, products, priceList, contactId: contact.id, dealId: deal.id };
}

export function ok<T>(res: { status: number; body: T }, status: number): T {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A draft with both catalogue products (2 and 1 pieces) at the given quote discount. */
export async function draftQuote(w: SalesWorld, user: TestUser, discountPercent = 0): Promise<QuoteDto> {
  return ok(
    await user.api.post<QuoteDto>('/api/quotes', {
      dealId: w.dealId,
      priceListId: w.priceList.id,
      discountPercent,
      taxRatePercent: 13,
      lines: [
        { productId: w.products[0]!.id, quantity: 2 },
        { productId: w.products[1]!.id, quantity: 1 },
      ],
    }),
    201,
  );
}
