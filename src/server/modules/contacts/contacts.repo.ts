import { type Expression, type SqlBool, sql } from 'kysely';
import type { CustomValues } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import {
  afterCursor,
  type Db,
  type SearchPlan,
  type SortColumn,
  searchCondition,
  sortValueText,
} from './records.repo.ts';

/** The stored columns a contact DTO needs (never the generated search and sort keys). */
const COLUMNS = [
  'contacts.id',
  'contacts.first_name',
  'contacts.last_name',
  'contacts.email',
  'contacts.phone',
  'contacts.title',
  'contacts.company_id',
  'contacts.company_name',
  'contacts.owner_id',
  'contacts.team_id',
  'contacts.country',
  'contacts.language',
  'contacts.tags',
  'contacts.custom',
  'contacts.created_at',
  'contacts.updated_at',
  'contacts.deleted_at',
] as const;

export interface ContactRecord {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  owner_id: string | null;
  team_id: string | null;
  country: string | null;
  language: string | null;
  tags: string[];
  custom: CustomValues;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** The writable fields of a contact, in column names. */
export interface ContactValues {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  owner_id: string | null;
  team_id: string | null;
  country: string | null;
  language: string | null;
  tags: string[];
  custom: CustomValues;
}

export const CONTACT_SORTS = {
  createdAt: { column: 'created_at', kind: 'timestamp' },
  updatedAt: { column: 'updated_at', kind: 'timestamp' },
  name: { column: 'sort_name', kind: 'text' },
  email: { column: 'sort_email', kind: 'text' },
} as const satisfies Record<string, SortColumn>;

/**
 * One contact the actor may see (visibility applied: otherwise undefined, like another workspace's).
 * `deleted`: `exclude` (default) finds live contacts only, `only` deleted ones, `any` both.
 */
export async function findContact(
  db: Db,
  actor: Actor,
  id: string,
  opts: { deleted?: 'exclude' | 'only' | 'any'; forUpdate?: boolean } = {},
): Promise<ContactRecord | undefined> {
  let q = db
    .selectFrom('contacts')
    .select(COLUMNS)
    .where('contacts.workspace_id', '=', actor.workspaceId)
    .where('contacts.id', '=', id)
    .where(visibleTo(actor, 'contacts'));
  const deleted = opts.deleted ?? 'exclude';
  if (deleted === 'exclude') q = q.where('contacts.deleted_at', 'is', null);
  if (deleted === 'only') q = q.where('contacts.deleted_at', 'is not', null);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The live contact holding an e-mail (case-insensitive), whoever can see it: the dedupe key. */
export async function findLiveIdByEmail(
  db: Db,
  workspaceId: string,
  email: string,
  exceptId?: string,
): Promise<string | undefined> {
  let q = db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(email)`, '=', sql<string>`lower(${email})`)
    .where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst())?.id;
}

export async function insertContact(
  db: Db,
  c: ContactValues & { workspace_id: string; id: string; at: Date },
): Promise<ContactRecord> {
  const { at, custom, tags, ...rest } = c;
  return db
    .insertInto('contacts')
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

export async function updateContact(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Partial<ContactValues>,
  at: Date,
): Promise<ContactRecord> {
  const { custom, tags, ...rest } = patch;
  return db
    .updateTable('contacts')
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

/** Soft delete (a time) or restore (null). */
export async function setDeletedAt(
  db: Db,
  workspaceId: string,
  id: string,
  deletedAt: Date | null,
): Promise<ContactRecord> {
  return db
    .updateTable('contacts')
    .set({ deleted_at: deletedAt })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Keeps the copied company name of every contact of a company in step with a rename. */
export async function renameCompanyOnContacts(
  db: Db,
  workspaceId: string,
  companyId: string,
  name: string,
): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ company_name: name })
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', companyId)
    .execute();
}

export interface ContactListFilter {
  search: SearchPlan | null;
  /** A user id, or null for unassigned; undefined: any owner. */
  ownerId: string | null | undefined;
  teamId: string | undefined;
  companyId: string | undefined;
  tag: string | undefined;
  country: string | undefined;
  deleted: 'exclude' | 'only';
  sort: SortColumn;
  order: 'asc' | 'desc';
  after: { v: string; id: string } | undefined;
  limit: number;
  /** An extra condition on `contacts` (a segment's compiled definition). */
  extra?: Expression<SqlBool>;
}

/** One keyset page of the contacts the actor may see, each with its sort value as text. */
export async function listContacts(
  db: Db,
  actor: Actor,
  f: ContactListFilter,
): Promise<(ContactRecord & { cursor_v: string })[]> {
  let q = db
    .selectFrom('contacts')
    .select(COLUMNS)
    .select(sortValueText('contacts', f.sort).as('cursor_v'))
    .where('contacts.workspace_id', '=', actor.workspaceId)
    .where(visibleTo(actor, 'contacts'))
    .where('contacts.deleted_at', f.deleted === 'only' ? 'is not' : 'is', null);
  if (f.search) q = q.where(searchCondition('contacts', f.search));
  if (f.ownerId === null) q = q.where('contacts.owner_id', 'is', null);
  else if (f.ownerId !== undefined) q = q.where('contacts.owner_id', '=', f.ownerId);
  if (f.teamId !== undefined) q = q.where('contacts.team_id', '=', f.teamId);
  if (f.companyId !== undefined) q = q.where('contacts.company_id', '=', f.companyId);
  if (f.tag !== undefined) q = q.where(sql<boolean>`contacts.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.country !== undefined) q = q.where('contacts.country', '=', f.country);
  if (f.extra) q = q.where(f.extra);
  if (f.after) q = q.where(afterCursor('contacts', f.sort, f.order, f.after));
  return q
    .orderBy(sql.ref(`contacts.${f.sort.column}`), f.order)
    .orderBy('contacts.id', f.order)
    .limit(f.limit)
    .execute();
}
