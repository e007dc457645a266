import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { QuoteDto } from '../../../contracts/quotes.ts';
import { draftQuote, ok, salesWorld } from './quotes.fixtures.ts';
import { expireQuotes } from './quotes.workflow.ts';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function countQuotes(t: Parameters<Parameters<typeof forEachBackend>[1]>[0], ws: string) {
  const r = await t.ctx.db
    .selectFrom('quotes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', ws)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

forEachBackend('quotes', (t) => {
  it('prices catalogue lines from the price list, adds a free line and computes totals on the server', async () => {
    const w = await salesWorld(t);
    const year = t.clock.now().getUTCFullYear();
    const res = await w.rep.api.post<QuoteDto>('/api/quotes', {
      dealId: w.dealId,
      priceListId: w.priceList.id,
      taxRatePercent: 13,
      discountPercent: 5,
      lines: [
        { productId: w.products[0]!.id, quantity: 2, discountPercent: 10 },
        { name: 'Installation', quantity: 1.5, unitPriceMinor: 999, taxRatePercent: 6 },
      ],
    });
    expect(res.status).toBe(201);
    const q = res.body;
    expect(q).toMatchObject({
      number: `Q-${year}-0001`,
      label: `Q-${year}-0001`,
      version: 1,
      status: 'draft',
      currency: 'CNY',
      contactId: w.contactId,
      discountPercent: 5,
    });
    expect(
      q.lines.map((l) => [l.sku, l.name, l.quantity, l.unitPriceMinor, l.netMinor, l.taxRatePercent]),
    ).toEqual([
      ['VLV-100', '不锈钢球阀 DN100', 2, 125_000, 225_000, 13],
      [null, 'Installation', 1.5, 999, 1_499, 6],
    ]);
    expect(q.totals).toEqual({
      grossMinor: 251_499,
      lineDiscountMinor: 25_000,
      subtotalMinor: 226_499,
      quoteDiscountMinor: 11_325,
      // 13 % of 213 750 (225 000 less its share 11 250) + 6 % of 1 424 (1 499 less 75)
      taxMinor: 27_788 + 85,
      totalMinor: 226_499 - 11_325 + 27_788 + 85,
      effectiveDiscountPercent: 14.45,
    });
    expect(q.approval.state).toBe('not_needed');
    const second = await draftQuote(w, w.rep);
    expect(second.number).toBe(`Q-${year}-0002`);
    const list = await w.rep.api.get<{ items: (QuoteDto & { dealName: string })[] }>(
      `/api/quotes?dealId=${w.dealId}`,
    );
    expect(list.body.items.map((i) => [i.number, i.dealName])).toEqual([
      [`Q-${year}-0002`, 'Valves for Shenzhen plant'],
      [`Q-${year}-0001`, 'Valves for Shenzhen plant'],
    ]);
  });

  it('refuses negative quantities, discounts over 100 % and a currency unlike the price list, writing nothing', async () => {
    const w = await salesWorld(t);
    const base = { dealId: w.dealId, priceListId: w.priceList.id };
    const line = { productId: w.products[0]!.id, quantity: 1 };
    const cases: [unknown, string][] = [
      [{ ...base, lines: [{ ...line, quantity: -2 }] }, 'lines.0.quantity'],
      [{ ...base, lines: [{ ...line, discountPercent: 120 }] }, 'lines.0.discountPercent'],
      [{ ...base, discountPercent: 100.5, lines: [line] }, 'discountPercent'],
      [{ ...base, currency: 'USD', lines: [line] }, 'currency'],
      [{ ...base, lines: [{ name: 'Free line', quantity: 1 }] }, 'lines.0.unitPriceMinor'],
      [{ ...base, lines: [{ productId: 'prd_nope', quantity: 1 }] }, 'lines.0.productId'],
      [{ ...base, priceListId: 'prl_nope', lines: [] }, 'priceListId'],
    ];
    for (const [body, field] of cases) {
      const res = await w.rep.api.post<ErrorBody>('/api/quotes', body);
      expect(res.status, field).toBe(400);
      expect(Object.keys(res.body.error.fields ?? {}), field).toContain(field);
    }
    expect(await countQuotes(t, w.admin.workspaceId)).toBe(0);
    // No number was consumed by the refused attempts: the sequence has no gaps.
    const q = await draftQuote(w, w.rep);
    expect(q.number).toMatch(/-0001$/);
    const bad = await w.rep.api.patch<ErrorBody>(`/api/quotes/${q.id}`, {
      lines: [{ productId: w.products[0]!.id, quantity: 0 }],
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toEqual(['lines.0.quantity']);
    expect((await w.rep.api.get<QuoteDto>(`/api/quotes/${q.id}`)).body.lines).toHaveLength(2);
  });

  it('hands out gap-free numbers to concurrent creators', async () => {
    const w = await salesWorld(t);
    const made = await Promise.all(Array.from({ length: 8 }, () => draftQuote(w, w.rep)));
    const numbers = made.map((q) => Number(q.number.slice(-4))).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('needs a sales manager to approve a discount over the threshold before a rep can send it, all audited', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep, 20);
    expect(q.totals.effectiveDiscountPercent).toBe(20);
    expect(q.approval).toMatchObject({ state: 'required', thresholdPercent: 15 });

    const early = await w.rep.api.post<ErrorBody>(`/api/quotes/${q.id}/send`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('approval_required');

    const pending = ok<QuoteDto>(await w.rep.api.post(`/api/quotes/${q.id}/request-approval`), 200);
    const inbox = await t.ctx.db
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'link'])
      .where('workspace_id', '=', w.admin.workspaceId)
      .execute();
    expect(inbox).toEqual([
      { user_id: w.manager.userId, kind: 'quote_approval_requested', link: `/quotes/${q.id}` },
    ]);
    expect(pending).toMatchObject({
      status: 'pending_approval',
      approval: { state: 'pending', requestedBy: w.rep.userId },
    });
    expect((await w.rep.api.post(`/api/quotes/${q.id}/send`)).status).toBe(409);
    expect((await w.rep.api.patch(`/api/quotes/${q.id}`, { notes: 'x' })).status).toBe(409);
    expect((await w.rep.api.post(`/api/quotes/${q.id}/approve`, {})).status).toBe(403);
    expect((await w.admin.api.post(`/api/quotes/${q.id}/approve`, {})).status).toBe(403);

    const approved = ok<QuoteDto>(
      await w.manager.api.post(`/api/quotes/${q.id}/approve`, { comment: 'Strategic account' }),
      200,
    );
    expect(approved).toMatchObject({
      status: 'draft',
      approval: { state: 'approved', decidedBy: w.manager.userId, comment: 'Strategic account' },
    });
    const sent = ok<QuoteDto>(await w.rep.api.post(`/api/quotes/${q.id}/send`), 200);
    expect(sent.status).toBe('sent');

    const rows = (await auditRows(t, w.admin.workspaceId)).filter((r) => r.entity_id === q.id);
    expect(rows.map((r) => [r.action, r.actor_user_id])).toEqual([
      ['create', w.rep.userId],
      ['approval_requested', w.rep.userId],
      ['approval_approved', w.manager.userId],
      ['send', w.rep.userId],
    ]);
    expect(rows[1]!.diff).toMatchObject({ effectiveDiscountPercent: 20, thresholdPercent: 15 });
    expect(rows[2]!.diff).toMatchObject({ comment: 'Strategic account', requestedBy: w.rep.userId });
  });

  it('lets a manager reject a discount with a comment; the rep reworks it, and an edit voids an approval', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep, 25);
    ok(await w.rep.api.post(`/api/quotes/${q.id}/request-approval`), 200);
    const noReason = await w.manager.api.post<ErrorBody>(`/api/quotes/${q.id}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error.fields ?? {})).toEqual(['comment']);
    const rejected = ok<QuoteDto>(
      await w.manager.api.post(`/api/quotes/${q.id}/reject`, { comment: 'Max 15 % for this account' }),
      200,
    );
    expect(rejected).toMatchObject({
      status: 'draft',
      approval: { state: 'rejected', comment: 'Max 15 % for this account' },
    });
    expect((await w.rep.api.post(`/api/quotes/${q.id}/send`)).status).toBe(409);

    // Back within the threshold: no approval needed, and it can go.
    const reworked = ok<QuoteDto>(await w.rep.api.patch(`/api/quotes/${q.id}`, { discountPercent: 10 }), 200);
    expect(reworked.approval.state).toBe('not_needed');

    // Raising it again after an approval voids the approval.
    ok(await w.rep.api.patch(`/api/quotes/${q.id}`, { discountPercent: 18 }), 200);
    ok(await w.rep.api.post(`/api/quotes/${q.id}/request-approval`), 200);
    ok(await w.manager.api.post(`/api/quotes/${q.id}/approve`, {}), 200);
    const edited = ok<QuoteDto>(await w.rep.api.patch(`/api/quotes/${q.id}`, { discountPercent: 30 }), 200);
    expect(edited.approval.state).toBe('required');
    expect((await w.rep.api.post(`/api/quotes/${q.id}/send`)).status).toBe(409);

    const actions = (await auditRows(t, w.admin.workspaceId))
      .filter((r) => r.entity_id === q.id)
      .map((r) => r.action);
    expect(actions).toEqual([
      'create',
      'approval_requested',
      'approval_rejected',
      'update',
      'update',
      'approval_requested',
      'approval_approved',
      'update',
    ]);
  });

  it('a manager cannot approve their own request', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.manager, 40);
    ok(await w.manager.api.post(`/api/quotes/${q.id}/request-approval`), 200);
    expect((await w.manager.api.post(`/api/quotes/${q.id}/approve`, {})).status).toBe(403);
    const other = await addUser(t, w.admin.workspaceId, 'sales_manager');
    // The second manager is in no team: the deal is not theirs to see.
    expect((await other.api.post(`/api/quotes/${q.id}/approve`, {})).status).toBe(404);
  });

  it('sending logs a quote_sent touch, moves the deal to quote_sent and the contact to opportunity', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep);
    ok(await w.rep.api.post(`/api/quotes/${q.id}/send`), 200);
    const { rows: touches } = await sql<Record<string, unknown>>`
      SELECT * FROM touches WHERE workspace_id = ${w.admin.workspaceId} AND type = 'quote_sent'`.execute(
      t.ctx.db,
    );
    expect(touches).toHaveLength(1);
    expect(touches[0]).toMatchObject({ contact_id: w.contactId, user_id: w.rep.userId, direction: 'sales' });
    const deal = ok<{ stageKey: string }>(await w.rep.api.get(`/api/deals/${w.dealId}`), 200);
    expect(deal.stageKey).toBe('quote_sent');
    const contact = await t.ctx.db
      .selectFrom('contacts')
      .select('lifecycle_stage')
      .where('workspace_id', '=', w.admin.workspaceId)
      .where('id', '=', w.contactId)
      .executeTakeFirstOrThrow();
    expect(contact.lifecycle_stage).toBe('opportunity');
  });

  it('refuses to edit a sent quote (409) and makes a linked new version instead', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep);
    ok(await w.rep.api.post(`/api/quotes/${q.id}/send`), 200);
    const edit = await w.rep.api.patch<ErrorBody>(`/api/quotes/${q.id}`, { notes: 'changed' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain('new version');
    const v2 = ok<QuoteDto>(await w.rep.api.post(`/api/quotes/${q.id}/versions`), 201);
    expect(v2).toMatchObject({
      number: q.number,
      version: 2,
      label: `${q.number}-v2`,
      status: 'draft',
      previousVersionId: q.id,
      totals: q.totals,
    });
    expect((await w.rep.api.get<QuoteDto>(`/api/quotes/${q.id}`)).body.nextVersionId).toBe(v2.id);
    expect((await w.rep.api.post(`/api/quotes/${q.id}/versions`)).status).toBe(409);
    const changed = ok<QuoteDto>(await w.rep.api.patch(`/api/quotes/${v2.id}`, { notes: 'v2 terms' }), 200);
    expect(changed.notes).toBe('v2 terms');
    expect((await w.rep.api.get<QuoteDto>(`/api/quotes/${q.id}`)).body.notes).toBeNull();

    const answered = ok<QuoteDto>(
      await w.rep.api.post(`/api/quotes/${q.id}/answer`, { outcome: 'rejected' }),
      200,
    );
    expect(answered.status).toBe('rejected');
  });

  it('expires sent quotes after their validity date', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep);
    ok(await w.rep.api.post(`/api/quotes/${q.id}/send`), 200);
    expect(await expireQuotes(t.ctx)).toBe(0);
    t.clock.set(new Date(Date.parse(`${q.validUntil}T00:00:00Z`) + 36 * 3600_000));
    expect(await expireQuotes(t.ctx)).toBe(1);
    expect((await w.rep.api.get<QuoteDto>(`/api/quotes/${q.id}`)).body.status).toBe('expired');
  });

  it('keeps quotes inside their workspace and their deal’s visibility', async () => {
    const w = await salesWorld(t);
    const q = await draftQuote(w, w.rep);
    const stranger = await createWorkspace(t);
    expect((await stranger.api.get(`/api/quotes/${q.id}`)).status).toBe(404);
    expect((await stranger.api.get(`/api/quotes/${q.id}/pdf`)).status).toBe(404);
    const otherRep = await addUser(t, w.admin.workspaceId, 'sales_rep');
    expect((await otherRep.api.get(`/api/quotes/${q.id}`)).status).toBe(404);
    expect((await otherRep.api.get<{ items: unknown[] }>('/api/quotes')).body.items).toEqual([]);
    const marketing = await addUser(t, w.admin.workspaceId, 'marketing');
    expect((await marketing.api.get(`/api/quotes/${q.id}`)).status).toBe(200);
    expect((await marketing.api.post(`/api/quotes/${q.id}/send`)).status).toBe(403);
  });
});
