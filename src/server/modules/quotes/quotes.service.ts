import type { Insertable } from 'kysely';
import type {
  QuoteCreate,
  QuoteDto,
  QuoteLineInput,
  QuoteListQuery,
  QuoteStatus,
  QuoteUpdate,
} from '../../../contracts/quotes.ts';
import type { QuoteLinesTable } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Db } from '../contacts/records.repo.ts';
import { getDeal } from '../deals/deals.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as catalog from './quotes.catalog.repo.ts';
import * as repo from './quotes.repo.ts';
import {
  bpToPercent,
  computeTotals,
  milliToQuantity,
  percentToBp,
  type QuoteTotals,
  quantityToMilli,
} from './quotes.totals.ts';

/** How long a new quote is valid when no date is given. */
export const DEFAULT_VALIDITY_DAYS = 30;
/** Statuses in which the quote is a document someone has seen: never edited again. */
const LOCKED: ReadonlySet<string> = new Set(['sent', 'accepted', 'rejected', 'expired']);

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}
function isoOrNull(d: Date | string | null): string | null {
  return d === null ? null : iso(d);
}
function dateOnly(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

export function quoteLabel(q: { number: string; version: number }): string {
  return q.version > 1 ? `${q.number}-v${q.version}` : q.number;
}

export function toQuoteDto(q: repo.QuoteRow, lines: repo.QuoteLineRow[]): QuoteDto {
  return {
    id: q.id,
    number: q.number,
    version: q.version,
    label: quoteLabel(q),
    previousVersionId: q.previous_version_id,
    nextVersionId: q.next_version_id,
    dealId: q.deal_id,
    contactId: q.contact_id,
    priceListId: q.price_list_id,
    currency: q.currency,
    status: q.status as QuoteStatus,
    title: q.title,
    notes: q.notes,
    validUntil: dateOnly(q.valid_until),
    discountPercent: bpToPercent(q.discount_bp),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      productId: l.product_id,
      sku: l.sku,
      name: l.name,
      description: l.description,
      unit: l.unit,
      quantity: milliToQuantity(l.quantity_milli),
      unitPriceMinor: Number(l.unit_price_minor),
      discountPercent: bpToPercent(l.discount_bp),
      taxRatePercent: bpToPercent(l.tax_bp),
      grossMinor: Number(l.gross_minor),
      discountMinor: Number(l.discount_minor),
      netMinor: Number(l.net_minor),
      taxMinor: Number(l.tax_minor),
    })),
    totals: {
      grossMinor: Number(q.gross_minor),
      lineDiscountMinor: Number(q.line_discount_minor),
      subtotalMinor: Number(q.subtotal_minor),
      quoteDiscountMinor: Number(q.quote_discount_minor),
      taxMinor: Number(q.tax_minor),
      totalMinor: Number(q.total_minor),
      effectiveDiscountPercent: bpToPercent(q.effective_discount_bp),
    },
    approval: {
      state: q.approval_state as QuoteDto['approval']['state'],
      thresholdPercent: bpToPercent(q.threshold_bp),
      requestedBy: q.approval_requested_by,
      requestedAt: isoOrNull(q.approval_requested_at),
      decidedBy: q.approval_decided_by,
      decidedAt: isoOrNull(q.approval_decided_at),
      comment: q.approval_comment,
    },
    sentAt: isoOrNull(q.sent_at),
    sentBy: q.sent_by,
    createdBy: q.created_by,
    createdAt: iso(q.created_at),
    updatedAt: iso(q.updated_at),
  };
}

/** A line ready to price: catalogue lines resolved against the price list. */
interface ResolvedLine {
  productId: string | null;
  sku: string | null;
  name: string;
  description: string | null;
  unit: string;
  quantityMilli: bigint;
  unitPriceMinor: bigint;
  discountBp: number;
  taxBp: number;
}

/**
 * Resolves line inputs: a catalogue line takes name, unit and (unless given) price from the product
 * and the quote's price list; a free line needs a name and a price. Errors name `lines.N.field`.
 */
async function resolveLines(
  db: Db,
  workspaceId: string,
  inputs: QuoteLineInput[],
  priceListId: string | null,
  defaultTaxBp: number,
  errors: FieldErrors,
): Promise<ResolvedLine[]> {
  const productIds = [...new Set(inputs.map((l) => l.productId).filter((x): x is string => Boolean(x)))];
  const products = new Map((await catalog.findProducts(db, workspaceId, productIds)).map((p) => [p.id, p]));
  const prices = priceListId
    ? new Map(
        (await catalog.listPriceListItems(db, workspaceId, priceListId, productIds)).map((i) => [
          i.product_id,
          BigInt(i.unit_price_minor),
        ]),
      )
    : new Map<string, bigint>();
  return inputs.map((l, i) => {
    const at = `lines.${i}`;
    const product = l.productId ? products.get(l.productId) : undefined;
    if (l.productId && !product) errors[`${at}.productId`] = 'no such product in this workspace';
    let price: bigint | undefined = l.unitPriceMinor === undefined ? undefined : BigInt(l.unitPriceMinor);
    if (price === undefined && product) {
      price = prices.get(product.id);
      if (price === undefined) {
        errors[`${at}.unitPriceMinor`] = priceListId
          ? `the price list has no price for ${product.sku}: give unitPriceMinor`
          : 'is required without a price list';
      }
    }
    if (price === undefined && !l.productId) errors[`${at}.unitPriceMinor`] = 'is required on a free line';
    const name = l.name?.trim() || product?.name || '';
    if (!name) errors[`${at}.name`] = 'is required on a free line';
    return {
      productId: product?.id ?? null,
      sku: product?.sku ?? null,
      name,
      description: l.description ?? product?.description ?? null,
      unit: l.unit ?? product?.unit ?? 'pcs',
      quantityMilli: quantityToMilli(l.quantity),
      unitPriceMinor: price ?? 0n,
      discountBp: percentToBp(l.discountPercent ?? 0),
      taxBp: l.taxRatePercent === undefined ? defaultTaxBp : percentToBp(l.taxRatePercent),
    };
  });
}

function lineRows(ws: string, quoteId: string, lines: ResolvedLine[], totals: QuoteTotals, at: Date) {
  return lines.map(
    (l, i): Insertable<QuoteLinesTable> => ({
      workspace_id: ws,
      quote_id: quoteId,
      id: newId('qln', at.getTime()),
      position: i + 1,
      product_id: l.productId,
      sku: l.sku,
      name: l.name,
      description: l.description,
      unit: l.unit,
      quantity_milli: l.quantityMilli,
      unit_price_minor: l.unitPriceMinor,
      discount_bp: l.discountBp,
      tax_bp: l.taxBp,
      gross_minor: totals.lines[i]!.grossMinor,
      discount_minor: totals.lines[i]!.discountMinor,
      net_minor: totals.lines[i]!.netMinor,
      tax_minor: totals.lines[i]!.taxMinor,
    }),
  );
}

function totalColumns(t: QuoteTotals, thresholdBp: number) {
  return {
    gross_minor: t.grossMinor,
    line_discount_minor: t.lineDiscountMinor,
    subtotal_minor: t.subtotalMinor,
    quote_discount_minor: t.quoteDiscountMinor,
    tax_minor: t.taxMinor,
    total_minor: t.totalMinor,
    effective_discount_bp: t.effectiveDiscountBp,
    threshold_bp: thresholdBp,
    // Any change of content voids an earlier approval: the manager approved those numbers only.
    approval_state: t.effectiveDiscountBp > thresholdBp ? 'required' : 'not_needed',
    approval_requested_by: null,
    approval_requested_at: null,
    approval_decided_by: null,
    approval_decided_at: null,
    approval_comment: null,
  };
}

function toLineInputs(lines: repo.QuoteLineRow[]): QuoteLineInput[] {
  return lines.map((l) => ({
    productId: l.product_id,
    name: l.name,
    description: l.description,
    unit: l.unit,
    quantity: milliToQuantity(l.quantity_milli),
    unitPriceMinor: Number(l.unit_price_minor),
    discountPercent: bpToPercent(l.discount_bp),
    taxRatePercent: bpToPercent(l.tax_bp),
  }));
}

async function priceListFor(
  db: Db,
  workspaceId: string,
  priceListId: string | null,
  currency: string,
  errors: FieldErrors,
): Promise<void> {
  if (!priceListId) return;
  const list = await catalog.findPriceList(db, workspaceId, priceListId);
  if (!list) errors.priceListId = 'no such price list in this workspace';
  else if (list.currency !== currency)
    errors.currency = `must be the price list's currency ${list.currency} (got ${currency})`;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Creates a draft quote on a deal the actor can see, with the next number of the workspace's
 * sequence for the year (Q-2026-0001). Currency defaults to the price list's, then the deal's; a
 * currency that differs from the price list's, an unknown product, a free line without a price:
 * 400 naming the field, nothing written (not even a number taken).
 */
export async function createQuote(ctx: AppContext, actor: Actor, input: QuoteCreate): Promise<QuoteDto> {
  const deal = await getDeal(ctx, actor, input.dealId);
  const dto = await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const at = ctx.clock.now();
    const errors: FieldErrors = {};
    const priceListId = input.priceListId ?? null;
    const list = priceListId ? await catalog.findPriceList(trx, ws, priceListId) : undefined;
    const currency = input.currency ?? list?.currency ?? deal.currency;
    await priceListFor(trx, ws, priceListId, currency, errors);
    const taxBp = percentToBp(input.taxRatePercent ?? 0);
    const lines = await resolveLines(trx, ws, input.lines ?? [], priceListId, taxBp, errors);
    const today = at.toISOString().slice(0, 10);
    const validUntil = input.validUntil ?? addDays(today, DEFAULT_VALIDITY_DAYS);
    if (validUntil < today) errors.validUntil = 'must not be in the past';
    if (Object.keys(errors).length) throw new ValidationError('Invalid quote; nothing was saved', errors);

    const settings = await repo.findWorkspaceSettings(trx, ws);
    const thresholdBp = settings?.quote_discount_threshold_bp ?? 1500;
    const discountBp = percentToBp(input.discountPercent ?? 0);
    const totals = computeTotals(lines, discountBp);
    const year = at.getUTCFullYear();
    const seq = await repo.nextQuoteNumber(trx, ws, year);
    const id = newId('quo', at.getTime());
    const row = await repo.insertQuote(trx, {
      workspace_id: ws,
      id,
      number: `Q-${year}-${String(seq).padStart(4, '0')}`,
      version: 1,
      previous_version_id: null,
      next_version_id: null,
      deal_id: deal.id,
      contact_id: deal.contactId,
      price_list_id: priceListId,
      currency,
      status: 'draft',
      title: input.title ?? null,
      notes: input.notes ?? null,
      valid_until: validUntil,
      discount_bp: discountBp,
      ...totalColumns(totals, thresholdBp),
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    const rows = lineRows(ws, id, lines, totals, at);
    await repo.replaceLines(trx, ws, id, rows);
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'create',
      entityType: 'quote',
      entityId: id,
      diff: {
        number: row.number,
        dealId: deal.id,
        currency,
        totalMinor: Number(totals.totalMinor),
        effectiveDiscountPercent: bpToPercent(totals.effectiveDiscountBp),
      },
      at,
    });
    return id;
  });
  return getQuote(ctx, actor, dto);
}

/** Loads a quote for a change, refusing documents already sent (409: make a new version). */
export async function lockEditable(trx: Db, actor: Actor, id: string): Promise<repo.QuoteRow> {
  const q = await repo.findQuote(trx, actor, id, { forUpdate: true });
  if (!q) throw new NotFoundError('Quote', id);
  if (LOCKED.has(q.status)) {
    throw new ConflictError(
      `Quote ${quoteLabel(q)} is ${q.status} and cannot be edited; create a new version instead`,
      undefined,
      { status: `is ${q.status}: POST /api/quotes/${q.id}/versions makes an editable copy` },
    );
  }
  if (q.status === 'pending_approval') {
    throw new ConflictError(
      `Quote ${quoteLabel(q)} is waiting for approval and cannot be edited`,
      undefined,
      {
        status: 'is pending_approval: wait for the decision',
      },
    );
  }
  return q;
}

/**
 * Changes a draft quote: lines given replace all lines; totals are recomputed and any earlier
 * approval is voided. A sent (or answered, or expired) quote is a 409: make a new version.
 */
export async function updateQuote(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: QuoteUpdate,
): Promise<QuoteDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const q = await lockEditable(trx, actor, id);
    const at = ctx.clock.now();
    const errors: FieldErrors = {};
    const priceListId = input.priceListId !== undefined ? input.priceListId : q.price_list_id;
    const list = priceListId ? await catalog.findPriceList(trx, ws, priceListId) : undefined;
    const currency = input.currency ?? (input.priceListId !== undefined && list ? list.currency : q.currency);
    await priceListFor(trx, ws, priceListId, currency, errors);
    const current = await repo.findLines(trx, ws, [id]);
    const taxBp = input.taxRatePercent === undefined ? undefined : percentToBp(input.taxRatePercent);
    const lineInputs =
      input.lines ??
      toLineInputs(current).map((l) =>
        taxBp === undefined ? l : { ...l, taxRatePercent: input.taxRatePercent },
      );
    const lines = await resolveLines(trx, ws, lineInputs, priceListId, taxBp ?? 0, errors);
    const validUntil = input.validUntil ?? dateOnly(q.valid_until);
    if (input.validUntil && validUntil < at.toISOString().slice(0, 10))
      errors.validUntil = 'must not be in the past';
    if (Object.keys(errors).length) throw new ValidationError('Invalid quote; nothing was saved', errors);

    const settings = await repo.findWorkspaceSettings(trx, ws);
    const thresholdBp = settings?.quote_discount_threshold_bp ?? 1500;
    const discountBp =
      input.discountPercent === undefined ? q.discount_bp : percentToBp(input.discountPercent);
    const totals = computeTotals(lines, discountBp);
    const row = await repo.updateQuote(trx, ws, id, {
      price_list_id: priceListId,
      currency,
      title: input.title !== undefined ? input.title : q.title,
      notes: input.notes !== undefined ? input.notes : q.notes,
      valid_until: validUntil,
      discount_bp: discountBp,
      status: 'draft',
      ...totalColumns(totals, thresholdBp),
      updated_at: at,
    });
    await repo.replaceLines(trx, ws, id, lineRows(ws, id, lines, totals, at));
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'quote',
      entityId: id,
      diff: {
        fields: Object.keys(input),
        totalMinor: { from: Number(q.total_minor), to: Number(row.total_minor) },
        effectiveDiscountPercent: {
          from: bpToPercent(q.effective_discount_bp),
          to: bpToPercent(row.effective_discount_bp),
        },
        ...(q.approval_state !== row.approval_state
          ? { approvalState: { from: q.approval_state, to: row.approval_state } }
          : {}),
      },
      at,
    });
  });
  return getQuote(ctx, actor, id);
}

/**
 * Makes the next version of a quote that can no longer be edited: a draft copy with the same
 * number and version + 1, linked both ways. Only the latest version gets a successor.
 */
export async function createVersion(ctx: AppContext, actor: Actor, id: string): Promise<QuoteDto> {
  const newId_ = await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const q = await repo.findQuote(trx, actor, id, { forUpdate: true });
    if (!q) throw new NotFoundError('Quote', id);
    if (!LOCKED.has(q.status))
      throw new ConflictError(`Quote ${quoteLabel(q)} is still a ${q.status}: edit it instead`, undefined, {
        status: `is ${q.status}`,
      });
    if (q.next_version_id)
      throw new ConflictError(`Quote ${quoteLabel(q)} already has a newer version`, q.next_version_id);
    const at = ctx.clock.now();
    const lines = await repo.findLines(trx, ws, [id]);
    const resolved: ResolvedLine[] = lines.map((l) => ({
      productId: l.product_id,
      sku: l.sku,
      name: l.name,
      description: l.description,
      unit: l.unit,
      quantityMilli: BigInt(l.quantity_milli),
      unitPriceMinor: BigInt(l.unit_price_minor),
      discountBp: l.discount_bp,
      taxBp: l.tax_bp,
    }));
    const settings = await repo.findWorkspaceSettings(trx, ws);
    const thresholdBp = settings?.quote_discount_threshold_bp ?? 1500;
    const totals = computeTotals(resolved, q.discount_bp);
    const today = at.toISOString().slice(0, 10);
    const validUntil =
      dateOnly(q.valid_until) < today ? addDays(today, DEFAULT_VALIDITY_DAYS) : dateOnly(q.valid_until);
    const next = newId('quo', at.getTime());
    await repo.insertQuote(trx, {
      workspace_id: ws,
      id: next,
      number: q.number,
      version: q.version + 1,
      previous_version_id: q.id,
      next_version_id: null,
      deal_id: q.deal_id,
      contact_id: q.contact_id,
      price_list_id: q.price_list_id,
      currency: q.currency,
      status: 'draft',
      title: q.title,
      notes: q.notes,
      valid_until: validUntil,
      discount_bp: q.discount_bp,
      ...totalColumns(totals, thresholdBp),
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    await repo.replaceLines(trx, ws, next, lineRows(ws, next, resolved, totals, at));
    await repo.updateQuote(trx, ws, q.id, { next_version_id: next, updated_at: at });
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'new_version',
      entityType: 'quote',
      entityId: next,
      diff: { number: q.number, version: q.version + 1, previousVersionId: q.id },
      at,
    });
    return next;
  });
  return getQuote(ctx, actor, newId_);
}

/** A quote on a deal the actor can see; otherwise 404. */
export async function getQuote(ctx: AppContext, actor: Actor, id: string): Promise<QuoteDto> {
  const q = await repo.findQuote(ctx.db, actor, id);
  if (!q) throw new NotFoundError('Quote', id);
  return toQuoteDto(q, await repo.findLines(ctx.db, actor.workspaceId, [id]));
}

/** Quotes on deals the actor can see, newest first, with the deal's name. */
export async function listQuotes(
  ctx: AppContext,
  actor: Actor,
  q: QuoteListQuery,
): Promise<Page<QuoteDto & { dealName: string }>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listQuotes(ctx.db, actor, {
    dealId: q.dealId,
    status: q.status,
    beforeId: cursor?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const lines = await repo.findLines(
    ctx.db,
    actor.workspaceId,
    items.map((r) => r.id),
  );
  const byQuote = new Map<string, repo.QuoteLineRow[]>();
  for (const l of lines) byQuote.set(l.quote_id, [...(byQuote.get(l.quote_id) ?? []), l]);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({ ...toQuoteDto(r, byQuote.get(r.id) ?? []), dealName: r.deal_name })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
  };
}
