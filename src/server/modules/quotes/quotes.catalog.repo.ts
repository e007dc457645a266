import type { Insertable, Selectable, Updateable } from 'kysely';
import type { PriceListItemsTable, PriceListsTable, ProductsTable } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

export type ProductRow = Selectable<ProductsTable>;
export type PriceListRow = Selectable<PriceListsTable>;
export type PriceListItemRow = Selectable<PriceListItemsTable>;

export async function insertProduct(db: Db, row: Insertable<ProductsTable>): Promise<ProductRow> {
  return db.insertInto('products').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateProduct(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Updateable<ProductsTable>,
): Promise<ProductRow> {
  return db
    .updateTable('products')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProduct(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ProductRow | undefined> {
  let q = db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findProducts(db: Db, workspaceId: string, ids: string[]): Promise<ProductRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('products')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}

/** Products by name (then id) after the cursor; `q` matches SKU or name. */
export async function listProducts(
  db: Db,
  workspaceId: string,
  opts: {
    q?: string | undefined;
    active?: boolean | undefined;
    after?: { name: string; id: string };
    limit: number;
  },
): Promise<ProductRow[]> {
  let q = db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId);
  if (opts.active !== undefined) q = q.where('active', '=', opts.active);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('sku', 'ilike', like), eb('name', 'ilike', like)]));
  }
  if (opts.after) {
    const { name, id } = opts.after;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['name']), '>', name),
        eb.and([eb(eb.fn('lower', ['name']), '=', name), eb('id', '>', id)]),
      ]),
    );
  }
  return q
    .orderBy((eb) => eb.fn('lower', ['name']))
    .orderBy('id')
    .limit(opts.limit)
    .execute();
}

export async function insertPriceList(db: Db, row: Insertable<PriceListsTable>): Promise<PriceListRow> {
  return db.insertInto('price_lists').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updatePriceList(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Updateable<PriceListsTable>,
): Promise<PriceListRow> {
  return db
    .updateTable('price_lists')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPriceList(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<PriceListRow | undefined> {
  let q = db
    .selectFrom('price_lists')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listPriceLists(
  db: Db,
  workspaceId: string,
): Promise<(PriceListRow & { item_count: number })[]> {
  const rows = await db
    .selectFrom('price_lists as pl')
    .selectAll('pl')
    .select((eb) =>
      eb
        .selectFrom('price_list_items as i')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('i.workspace_id', '=', 'pl.workspace_id')
        .whereRef('i.price_list_id', '=', 'pl.id')
        .as('item_count'),
    )
    .where('pl.workspace_id', '=', workspaceId)
    .orderBy('pl.name')
    .orderBy('pl.id')
    .execute();
  return rows.map((r) => ({ ...r, item_count: Number(r.item_count ?? 0) }));
}

export interface PriceListItemView {
  product_id: string;
  sku: string;
  name: string;
  unit: string;
  unit_price_minor: number | string;
}

export async function listPriceListItems(
  db: Db,
  workspaceId: string,
  priceListId: string,
  productIds?: string[],
): Promise<PriceListItemView[]> {
  let q = db
    .selectFrom('price_list_items as i')
    .innerJoin('products as p', (j) =>
      j.onRef('p.workspace_id', '=', 'i.workspace_id').onRef('p.id', '=', 'i.product_id'),
    )
    .select(['i.product_id', 'p.sku', 'p.name', 'p.unit', 'i.unit_price_minor'])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.price_list_id', '=', priceListId);
  if (productIds) {
    if (!productIds.length) return [];
    q = q.where('i.product_id', 'in', productIds);
  }
  return q.orderBy('p.sku').execute();
}

export async function upsertPriceListItems(db: Db, rows: Insertable<PriceListItemsTable>[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('price_list_items')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'price_list_id', 'product_id']).doUpdateSet((eb) => ({
        unit_price_minor: eb.ref('excluded.unit_price_minor'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deletePriceListItems(
  db: Db,
  workspaceId: string,
  priceListId: string,
  productIds: string[],
): Promise<void> {
  if (!productIds.length) return;
  await db
    .deleteFrom('price_list_items')
    .where('workspace_id', '=', workspaceId)
    .where('price_list_id', '=', priceListId)
    .where('product_id', 'in', productIds)
    .execute();
}
