import { sql } from 'kysely';
import type { CustomValues } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import {
  afterCursor,
  type Db,
  type SearchPlan,
  type SortColumn,
  searchCondition,
  sortValueText,
} from '../contacts/records.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

const COLUMNS = [
  'companies.id',
  'companies.name',
  'companies.domain',
  'companies.website',
  'companies.industry',
  'companies.employees',
  'companies.country',
  'companies.phone',
  'companies.owner_id',
  'companies.team_id',
  'companies.tags',
  'companies.custom',
  'companies.created_at',
  'companies.updated_at',
  'companies.deleted_at',
] as const;

export interface CompanyValues {
  name: string;
  domain: string | null;
  website: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  phone: string | null;
  owner_id: string | null;
  team_id: string | null;
  tags: string[];
  custom: CustomValues;
}

export interface CompanyRecord extends CompanyValues {
  id: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export const COMPANY_SORTS = {
  createdAt: { column: 'created_at', kind: 'timestamp' },
  updatedAt: { column: 'updated_at', kind: 'timestamp' },
  name: { column: 'sort_name', kind: 'text' },
} as const satisfies Record<string, SortColumn>;

/**
 * One company the actor may see (visibility applied). `deleted` as for contacts; `lock: 'share'`
 * keeps it from being renamed or deleted while a contact is linked to it, `update` for writes.
 */
export async function findCompany(
  db: Db,
  actor: Actor,
  id: string,
  opts: { deleted?: 'exclude' | 'only' | 'any'; lock?: 'share' | 'update' } = {},
): Promise<CompanyRecord | undefined> {
  let q = db
    .selectFrom('companies')
    .select(COLUMNS)
    .where('companies.workspace_id', '=', actor.workspaceId)
    .where('companies.id', '=', id)
    .where(visibleTo(actor, 'companies'));
  const deleted = opts.deleted ?? 'exclude';
  if (deleted === 'exclude') q = q.where('companies.deleted_at', 'is', null);
  if (deleted === 'only') q = q.where('companies.deleted_at', 'is not', null);
  if (opts.lock === 'share') q = q.forShare();
  if (opts.lock === 'update') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The live company with a domain, whoever can see it: the dedupe key. */
export async function findLiveIdByDomain(
  db: Db,
  workspaceId: string,
  domain: string,
  exceptId?: string,
): Promise<string | undefined> {
  let q = db
    .selectFrom('companies')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(domain)`, '=', sql<string>`lower(${domain})`)
    .where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst())?.id;
}

export async function insertCompany(
  db: Db,
  c: CompanyValues & { workspace_id: string; id: string; at: Date },
): Promise<CompanyRecord> {
  const { at, custom, tags, ...rest } = c;
  return db
    .insertInto('companies')
    .values({
      ...rest,
      tags: sql<string[]>`${tags}::text[]`,
      custom: JSON.stringify(custom),
      created_at: at,
      updated_at: at,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateCompany(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Partial<CompanyValues>,
  at: Date,
): Promise<CompanyRecord> {
  const { custom, tags, ...rest } = patch;
  return db
    .updateTable('companies')
    .set({
      ...rest,
      ...(tags !== undefined ? { tags: sql<string[]>`${tags}::text[]` } : {}),
      ...(custom !== undefined ? { custom: JSON.stringify(custom) } : {}),
      updated_at: at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function setDeletedAt(
  db: Db,
  workspaceId: string,
  id: string,
  deletedAt: Date | null,
): Promise<CompanyRecord> {
  return db
    .updateTable('companies')
    .set({ deleted_at: deletedAt })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export interface CompanyListFilter {
  search: SearchPlan | null;
  ownerId: string | null | undefined;
  teamId: string | undefined;
  tag: string | undefined;
  country: string | undefined;
  deleted: 'exclude' | 'only';
  sort: SortColumn;
  order: 'asc' | 'desc';
  after: { v: string; id: string } | undefined;
  limit: number;
}

export async function listCompanies(
  db: Db,
  actor: Actor,
  f: CompanyListFilter,
): Promise<(CompanyRecord & { cursor_v: string })[]> {
  let q = db
    .selectFrom('companies')
    .select(COLUMNS)
    .select(sortValueText('companies', f.sort).as('cursor_v'))
    .where('companies.workspace_id', '=', actor.workspaceId)
    .where(visibleTo(actor, 'companies'))
    .where('companies.deleted_at', f.deleted === 'only' ? 'is not' : 'is', null);
  if (f.search) q = q.where(searchCondition('companies', f.search));
  if (f.ownerId === null) q = q.where('companies.owner_id', 'is', null);
  else if (f.ownerId !== undefined) q = q.where('companies.owner_id', '=', f.ownerId);
  if (f.teamId !== undefined) q = q.where('companies.team_id', '=', f.teamId);
  if (f.tag !== undefined) q = q.where(sql<boolean>`companies.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.country !== undefined) q = q.where('companies.country', '=', f.country);
  if (f.after) q = q.where(afterCursor('companies', f.sort, f.order, f.after));
  return q
    .orderBy(sql.ref(`companies.${f.sort.column}`), f.order)
    .orderBy('companies.id', f.order)
    .limit(f.limit)
    .execute();
}
