import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { PriceListDetailDto, PriceListDto, ProductDto } from '../../../contracts/quotes.ts';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

forEachBackend('products and price lists', (t) => {
  it('creates products with a unique SKU per workspace, and another workspace may reuse the SKU', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ProductDto>('/api/products', {
      sku: 'VLV-100',
      name: 'Ball valve DN100',
      description: 'Stainless steel',
      unit: 'pcs',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sku: 'VLV-100', name: 'Ball valve DN100', unit: 'pcs', active: true });

    const dup = await admin.api.post<ErrorBody>('/api/products', { sku: 'VLV-100', name: 'Copy' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields).toEqual({ sku: expect.stringContaining('already used') });
    const count = await t.ctx.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', admin.workspaceId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const other = await createWorkspace(t);
    expect((await other.api.post('/api/products', { sku: 'VLV-100', name: 'Theirs' })).status).toBe(201);
    expect((await other.api.get(`/api/products/${res.body.id}`)).status).toBe(404);

    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.filter((a) => a.entity_type === 'product').map((a) => a.action)).toEqual(['create']);
  });

  it('lets admins and sales managers edit the catalogue while reps and marketing only read it', async () => {
    const admin = await createWorkspace(t);
    const manager = await addUser(t, admin.workspaceId, 'sales_manager');
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const marketing = await addUser(t, admin.workspaceId, 'marketing');
    const made = await manager.api.post<ProductDto>('/api/products', { sku: 'A-1', name: 'Alpha' });
    expect(made.status).toBe(201);
    expect((await rep.api.post('/api/products', { sku: 'A-2', name: 'Beta' })).status).toBe(403);
    expect((await marketing.api.patch(`/api/products/${made.body.id}`, { name: 'X' })).status).toBe(403);
    expect((await rep.api.post('/api/price-lists', { name: 'EU', currency: 'EUR' })).status).toBe(403);
    const list = await rep.api.get<Page<ProductDto>>('/api/products');
    expect(list.status).toBe(200);
    expect(list.body.items.map((p) => p.sku)).toEqual(['A-1']);
  });

  it('searches and pages products by name, and hides inactive ones unless asked', async () => {
    const admin = await createWorkspace(t);
    for (const [sku, name] of [
      ['P-3', 'Gamma pump'],
      ['P-1', 'alpha pump'],
      ['P-2', 'Beta valve'],
    ]) {
      await admin.api.post('/api/products', { sku, name });
    }
    const first = await admin.api.get<Page<ProductDto>>('/api/products?limit=2');
    expect(first.body.items.map((p) => p.name)).toEqual(['alpha pump', 'Beta valve']);
    const second = await admin.api.get<Page<ProductDto>>(
      `/api/products?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((p) => p.name)).toEqual(['Gamma pump']);
    expect(second.body.nextCursor).toBeNull();
    const pumps = await admin.api.get<Page<ProductDto>>('/api/products?q=pump');
    expect(pumps.body.items.map((p) => p.sku)).toEqual(['P-1', 'P-3']);
    const gamma = pumps.body.items[1]!;
    const off = await admin.api.patch<ProductDto>(`/api/products/${gamma.id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await admin.api.get<Page<ProductDto>>('/api/products?q=pump')).body.items).toHaveLength(1);
    expect(
      (await admin.api.get<Page<ProductDto>>('/api/products?q=pump&active=all')).body.items,
    ).toHaveLength(2);
  });

  it('keeps prices per price list in its currency, all or nothing', async () => {
    const admin = await createWorkspace(t);
    const a = (await admin.api.post<ProductDto>('/api/products', { sku: 'A', name: 'A' })).body;
    const b = (await admin.api.post<ProductDto>('/api/products', { sku: 'B', name: 'B' })).body;
    const pl = await admin.api.post<PriceListDto>('/api/price-lists', {
      name: 'China 2026',
      currency: 'CNY',
      market: 'CN',
    });
    expect(pl.status).toBe(201);
    expect(pl.body).toMatchObject({ currency: 'CNY', market: 'CN', itemCount: 0 });

    const bad = await admin.api.put<ErrorBody>(`/api/price-lists/${pl.body.id}/items`, {
      items: [
        { productId: a.id, unitPriceMinor: 1000 },
        { productId: 'prd_missing', unitPriceMinor: 5 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ 'items.1.productId': 'no such product in this workspace' });
    const negative = await admin.api.put<ErrorBody>(`/api/price-lists/${pl.body.id}/items`, {
      items: [{ productId: a.id, unitPriceMinor: -1 }],
    });
    expect(negative.status).toBe(400);
    expect(Object.keys(negative.body.error.fields ?? {})).toEqual(['items.0.unitPriceMinor']);
    expect((await admin.api.get<PriceListDetailDto>(`/api/price-lists/${pl.body.id}`)).body.items).toEqual(
      [],
    );

    const set = await admin.api.put<PriceListDetailDto>(`/api/price-lists/${pl.body.id}/items`, {
      items: [
        { productId: a.id, unitPriceMinor: 125_000 },
        { productId: b.id, unitPriceMinor: 9_900 },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.body.items.map((i) => [i.sku, i.unitPriceMinor])).toEqual([
      ['A', 125_000],
      ['B', 9_900],
    ]);
    const changed = await admin.api.put<PriceListDetailDto>(`/api/price-lists/${pl.body.id}/items`, {
      items: [
        { productId: a.id, unitPriceMinor: 120_000 },
        { productId: b.id, unitPriceMinor: null },
      ],
    });
    expect(changed.body.items.map((i) => [i.sku, i.unitPriceMinor])).toEqual([['A', 120_000]]);
    const lists = await admin.api.get<{ items: PriceListDto[] }>('/api/price-lists');
    expect(lists.body.items.map((l) => [l.name, l.itemCount])).toEqual([['China 2026', 1]]);

    const badCurrency = await admin.api.post<ErrorBody>('/api/price-lists', { name: 'X', currency: 'euro' });
    expect(badCurrency.status).toBe(400);
    expect(Object.keys(badCurrency.body.error.fields ?? {})).toEqual(['currency']);
    const dupName = await admin.api.post<ErrorBody>('/api/price-lists', {
      name: 'China 2026',
      currency: 'USD',
    });
    expect(dupName.status).toBe(409);
    expect(dupName.body.error.fields).toHaveProperty('name');
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.filter((r) => r.entity_type === 'price_list').map((r) => r.action)).toEqual([
      'create',
      'set_prices',
      'set_prices',
    ]);
  });

  it('keeps the discount threshold (default 15 %) and the logo as workspace settings', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const before = await rep.api.get<{ discountThresholdPercent: number; hasLogo: boolean }>(
      '/api/quote-settings',
    );
    expect(before.body).toMatchObject({ discountThresholdPercent: 15, hasLogo: false });
    expect((await rep.api.patch('/api/quote-settings', { discountThresholdPercent: 30 })).status).toBe(403);
    const over = await admin.api.patch<ErrorBody>('/api/quote-settings', { discountThresholdPercent: 101 });
    expect(over.status).toBe(400);
    expect(Object.keys(over.body.error.fields ?? {})).toEqual(['discountThresholdPercent']);
    const after = await admin.api.patch('/api/quote-settings', { discountThresholdPercent: 12.5 });
    expect(after.body).toMatchObject({ discountThresholdPercent: 12.5 });
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.find((r) => r.entity_type === 'quote_settings')?.diff).toEqual({
      discountThresholdPercent: { from: 15, to: 12.5 },
    });
  });
});
