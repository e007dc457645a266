import type {
  PriceListCreate,
  PriceListDetailDto,
  PriceListDto,
  PriceListItemsPut,
  PriceListUpdate,
  ProductCreate,
  ProductDto,
  ProductListQuery,
  ProductUpdate,
} from '../../../contracts/quotes.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import { isUniqueViolation } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './quotes.catalog.repo.ts';

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}

export function toProductDto(r: repo.ProductRow): ProductDto {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    unit: r.unit,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toPriceListDto(r: repo.PriceListRow, itemCount: number): PriceListDto {
  return {
    id: r.id,
    name: r.name,
    currency: r.currency,
    market: r.market,
    active: r.active,
    itemCount,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function skuTaken(sku: string): ConflictError {
  return new ConflictError(`A product with SKU ${sku} already exists`, undefined, {
    sku: 'is already used by another product in this workspace',
  });
}

/** Creates a product (admins, sales managers); a repeated SKU is a 409 naming `sku`. */
export async function createProduct(
  ctx: AppContext,
  actor: Actor,
  input: ProductCreate,
): Promise<ProductDto> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const at = ctx.clock.now();
      const row = await repo.insertProduct(trx, {
        workspace_id: actor.workspaceId,
        id: newId('prd', at.getTime()),
        sku: input.sku,
        name: input.name,
        description: input.description ?? null,
        unit: input.unit ?? 'pcs',
        active: input.active ?? true,
        created_at: at,
        updated_at: at,
      });
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'create',
        entityType: 'product',
        entityId: row.id,
        diff: { sku: row.sku, name: row.name, unit: row.unit },
        at,
      });
      return toProductDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'products_sku_key')) throw skuTaken(input.sku);
    throw err;
  }
}

/** Changes a product; audited with the changed fields. */
export async function updateProduct(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ProductUpdate,
): Promise<ProductDto> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const current = await repo.findProduct(trx, actor.workspaceId, id, { forUpdate: true });
      if (!current) throw new NotFoundError('Product', id);
      const at = ctx.clock.now();
      const row = await repo.updateProduct(trx, actor.workspaceId, id, { ...input, updated_at: at });
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['sku', 'name', 'description', 'unit', 'active'] as const) {
        if (current[key] !== row[key]) diff[key] = { from: current[key], to: row[key] };
      }
      if (Object.keys(diff).length) {
        await appendAudit(trx, {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          actorLabel: actor.email,
          action: 'update',
          entityType: 'product',
          entityId: id,
          diff,
          at,
        });
      }
      return toProductDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'products_sku_key')) throw skuTaken(input.sku ?? '');
    throw err;
  }
}

export async function getProduct(ctx: AppContext, actor: Actor, id: string): Promise<ProductDto> {
  const row = await repo.findProduct(ctx.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError('Product', id);
  return toProductDto(row);
}

/** Products by name; `q` matches SKU or name. */
export async function listProducts(
  ctx: AppContext,
  actor: Actor,
  q: ProductListQuery,
): Promise<Page<ProductDto>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listProducts(ctx.db, actor.workspaceId, {
    q: q.q,
    active: q.active === 'all' ? undefined : q.active === 'true',
    ...(cursor ? { after: { name: String(cursor.v ?? ''), id: cursor.id } } : {}),
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toProductDto),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ v: last.name.toLowerCase(), id: last.id }) : null,
  };
}

function nameTaken(): ConflictError {
  return new ConflictError('A price list with this name already exists', undefined, {
    name: 'is already used by another price list',
  });
}

/** Creates a price list (one currency, optionally one market). */
export async function createPriceList(
  ctx: AppContext,
  actor: Actor,
  input: PriceListCreate,
): Promise<PriceListDto> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const at = ctx.clock.now();
      const row = await repo.insertPriceList(trx, {
        workspace_id: actor.workspaceId,
        id: newId('prl', at.getTime()),
        name: input.name,
        currency: input.currency,
        market: input.market ?? null,
        active: input.active ?? true,
        created_at: at,
        updated_at: at,
      });
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'create',
        entityType: 'price_list',
        entityId: row.id,
        diff: { name: row.name, currency: row.currency, market: row.market },
        at,
      });
      return toPriceListDto(row, 0);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'price_lists_name_key')) throw nameTaken();
    throw err;
  }
}

/** Renames, re-markets or (de)activates a price list; its currency never changes (quotes rely on it). */
export async function updatePriceList(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: PriceListUpdate,
): Promise<PriceListDetailDto> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const current = await repo.findPriceList(trx, actor.workspaceId, id, { forUpdate: true });
      if (!current) throw new NotFoundError('Price list', id);
      const at = ctx.clock.now();
      const row = await repo.updatePriceList(trx, actor.workspaceId, id, { ...input, updated_at: at });
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['name', 'market', 'active'] as const) {
        if (current[key] !== row[key]) diff[key] = { from: current[key], to: row[key] };
      }
      if (Object.keys(diff).length) {
        await appendAudit(trx, {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          actorLabel: actor.email,
          action: 'update',
          entityType: 'price_list',
          entityId: id,
          diff,
          at,
        });
      }
    });
  } catch (err) {
    if (isUniqueViolation(err, 'price_lists_name_key')) throw nameTaken();
    throw err;
  }
  return getPriceList(ctx, actor, id);
}

export async function listPriceLists(ctx: AppContext, actor: Actor): Promise<PriceListDto[]> {
  const rows = await repo.listPriceLists(ctx.db, actor.workspaceId);
  return rows.map((r) => toPriceListDto(r, r.item_count));
}

/** A price list with its prices, by SKU. */
export async function getPriceList(ctx: AppContext, actor: Actor, id: string): Promise<PriceListDetailDto> {
  const row = await repo.findPriceList(ctx.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError('Price list', id);
  const items = await repo.listPriceListItems(ctx.db, actor.workspaceId, id);
  return {
    ...toPriceListDto(row, items.length),
    items: items.map((i) => ({
      productId: i.product_id,
      sku: i.sku,
      name: i.name,
      unit: i.unit,
      unitPriceMinor: Number(i.unit_price_minor),
    })),
  };
}

/**
 * Sets prices on a price list (null removes a product). Every product must exist in the workspace:
 * one unknown product rejects the whole request, naming `items.N.productId`, and nothing is written.
 */
export async function setPriceListItems(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: PriceListItemsPut,
): Promise<PriceListDetailDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const list = await repo.findPriceList(trx, actor.workspaceId, id, { forUpdate: true });
    if (!list) throw new NotFoundError('Price list', id);
    const ids = [...new Set(input.items.map((i) => i.productId))];
    const known = new Set((await repo.findProducts(trx, actor.workspaceId, ids)).map((p) => p.id));
    const errors: FieldErrors = {};
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      if (!known.has(item.productId)) errors[`items.${i}.productId`] = 'no such product in this workspace';
      else if (seen.has(item.productId)) errors[`items.${i}.productId`] = 'appears twice in this request';
      seen.add(item.productId);
    });
    if (Object.keys(errors).length)
      throw new ValidationError('Some prices are invalid; nothing was saved', errors);
    const at = ctx.clock.now();
    const set = input.items.filter((i) => i.unitPriceMinor !== null);
    const removed = input.items.filter((i) => i.unitPriceMinor === null).map((i) => i.productId);
    await repo.upsertPriceListItems(
      trx,
      set.map((i) => ({
        workspace_id: actor.workspaceId,
        price_list_id: id,
        product_id: i.productId,
        unit_price_minor: i.unitPriceMinor!,
        updated_at: at,
      })),
    );
    await repo.deletePriceListItems(trx, actor.workspaceId, id, removed);
    await repo.updatePriceList(trx, actor.workspaceId, id, { updated_at: at });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'set_prices',
      entityType: 'price_list',
      entityId: id,
      diff: {
        currency: list.currency,
        set: Object.fromEntries(set.map((i) => [i.productId, i.unitPriceMinor])),
        removed,
      },
      at,
    });
  });
  return getPriceList(ctx, actor, id);
}
