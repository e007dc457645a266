import { sql } from 'kysely';
import type { ContentListQuery } from '../../../contracts/content.ts';
import type { Db } from '../contacts/records.repo.ts';

export const ASSET_COLUMNS = [
  'id',
  'title',
  'kind',
  'source',
  'product',
  'language',
  'market',
  'funnel_stage',
  'current_version',
  'created_at',
  'updated_at',
] as const;
export const VERSION_COLUMNS = [
  'id',
  'asset_id',
  'version',
  'file_name',
  'mime',
  'bytes',
  'storage_key',
  'url',
  'note',
  'created_at',
] as const;

export async function findAsset(db: Db, workspaceId: string, id: string, forUpdate = false) {
  let q = db
    .selectFrom('content_assets')
    .select(ASSET_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('archived_at', 'is', null);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type AssetRow = NonNullable<Awaited<ReturnType<typeof findAsset>>>;

export async function versionsOf(db: Db, workspaceId: string, assetIds: string[]) {
  if (!assetIds.length) return [];
  return db
    .selectFrom('content_versions')
    .select(VERSION_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('asset_id', 'in', assetIds)
    .orderBy('version', 'desc')
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof versionsOf>>[number];

export async function listAssets(db: Db, workspaceId: string, f: ContentListQuery) {
  let q = db
    .selectFrom('content_assets')
    .select(ASSET_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.funnelStage) q = q.where('funnel_stage', '=', f.funnelStage);
  if (f.language) q = q.where(sql<boolean>`lower(language) = lower(${f.language})`);
  if (f.product) q = q.where(sql<boolean>`lower(product) = lower(${f.product})`);
  if (f.market) q = q.where(sql<boolean>`lower(market) = lower(${f.market})`);
  if (f.q) q = q.where(sql<boolean>`title ILIKE ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function insertAsset(
  db: Db,
  a: {
    workspace_id: string;
    id: string;
    title: string;
    kind: AssetRow['kind'];
    source: 'file' | 'link';
    product: string | null;
    language: string | null;
    market: string | null;
    funnel_stage: string | null;
    created_by: string;
    at: Date;
  },
): Promise<void> {
  const { at, ...rest } = a;
  await db
    .insertInto('content_assets')
    .values({ ...rest, created_at: at, updated_at: at })
    .execute();
}

export async function insertVersion(
  db: Db,
  v: {
    workspace_id: string;
    id: string;
    asset_id: string;
    version: number;
    file_name: string | null;
    mime: string | null;
    bytes: number | null;
    storage_key: string | null;
    url: string | null;
    note: string | null;
    created_by: string;
    at: Date;
  },
): Promise<void> {
  const { at, ...rest } = v;
  await db
    .insertInto('content_versions')
    .values({ ...rest, created_at: at })
    .execute();
  await db
    .updateTable('content_assets')
    .set({ current_version: v.version, updated_at: at })
    .where('workspace_id', '=', v.workspace_id)
    .where('id', '=', v.asset_id)
    .execute();
}

export async function currentVersion(db: Db, workspaceId: string, assetId: string) {
  return db
    .selectFrom('content_versions')
    .select(VERSION_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('asset_id', '=', assetId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findVersion(db: Db, workspaceId: string, assetId: string, versionId: string) {
  return db
    .selectFrom('content_versions')
    .select(VERSION_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('asset_id', '=', assetId)
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function insertShare(
  db: Db,
  s: {
    workspace_id: string;
    id: string;
    token: string;
    asset_id: string;
    contact_id: string;
    created_by: string;
    expires_at: Date | null;
    at: Date;
  },
) {
  const { at, ...rest } = s;
  return db
    .insertInto('content_shares')
    .values({ ...rest, created_at: at })
    .returning(['id', 'token', 'asset_id', 'contact_id', 'expires_at', 'views', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A share link by its token alone (public route), with its workspace. */
export async function findShareByToken(db: Db, token: string) {
  return db
    .selectFrom('content_shares')
    .select(['workspace_id', 'id', 'asset_id', 'contact_id', 'expires_at', 'created_by'])
    .where('token', '=', token)
    .executeTakeFirst();
}

export async function countView(db: Db, workspaceId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('content_shares')
    .set({ views: sql`views + 1`, last_viewed_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function contactCompany(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('contacts')
    .select(['id', 'company_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
}
