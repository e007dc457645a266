import { sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/** SQL for bulk deal import and export. */

export async function contactsByKeys(
  db: Db,
  workspaceId: string,
  keys: { emails: string[]; externalIds: string[] },
): Promise<
  {
    id: string;
    email: string | null;
    external_id: string | null;
    company_id: string | null;
    team_id: string | null;
    source_campaign_id: string | null;
  }[]
> {
  if (!keys.emails.length && !keys.externalIds.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'email', 'external_id', 'company_id', 'team_id', 'source_campaign_id'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(keys.emails.length ? [eb(sql<string>`lower(email)`, 'in', keys.emails)] : []),
        ...(keys.externalIds.length ? [eb('external_id', 'in', keys.externalIds)] : []),
      ]),
    )
    .execute();
}

export async function existingExternalIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('deals')
    .select('external_id')
    .where('workspace_id', '=', workspaceId)
    .where('external_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.external_id!));
}

export async function usersByEmail(db: Db, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
}

export interface ImportedDeal {
  id: string;
  pipeline_id: string;
  stage_id: string;
  name: string;
  contact_id: string;
  company_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  amount_minor: string | null;
  currency: string;
  source_campaign_id: string | null;
  lost_reason: string | null;
  won_at: Date | null;
  lost_at: Date | null;
  external_id: string | null;
  custom: Record<string, string>;
  created_at: Date;
}

export async function insertImported(
  db: Db,
  workspaceId: string,
  deals: ImportedDeal[],
  createdBy: string,
  now: Date,
) {
  if (!deals.length) return;
  await db
    .insertInto('deals')
    .values(
      deals.map((d) => ({
        workspace_id: workspaceId,
        ...d,
        products: '[]',
        custom: JSON.stringify(d.custom),
        stage_changed_at: d.won_at ?? d.lost_at ?? d.created_at,
        created_by: createdBy,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('deal_contacts')
    .values(
      deals.map((d) => ({
        workspace_id: workspaceId,
        deal_id: d.id,
        contact_id: d.contact_id,
        is_primary: true,
        created_at: now,
      })),
    )
    .execute();
}

export interface ExportRow {
  id: string;
  external_id: string | null;
  name: string;
  pipeline: string;
  stage: string;
  amount_minor: string | null;
  currency: string;
  expected_close_on: string | null;
  created_at: string;
  won_at: string | null;
  lost_at: string | null;
  lost_reason: string | null;
  lost_note: string | null;
  owner: string | null;
  contact_email: string | null;
  contact_external_id: string | null;
  custom: Record<string, unknown>;
}

const ts = (col: string) =>
  sql<string | null>`to_char(${sql.ref(col)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** One page of deals for export, in id order after `afterId`. */
export async function exportPage(
  db: Db,
  workspaceId: string,
  afterId: string | null,
  limit: number,
): Promise<ExportRow[]> {
  let q = db
    .selectFrom('deals as d')
    .innerJoin('pipelines as p', (j) =>
      j.onRef('p.workspace_id', '=', 'd.workspace_id').onRef('p.id', '=', 'd.pipeline_id'),
    )
    .innerJoin('pipeline_stages as s', (j) =>
      j.onRef('s.workspace_id', '=', 'd.workspace_id').onRef('s.id', '=', 'd.stage_id'),
    )
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 'd.workspace_id').onRef('u.id', '=', 'd.owner_id'),
    )
    .leftJoin('contacts as c', (j) =>
      j.onRef('c.workspace_id', '=', 'd.workspace_id').onRef('c.id', '=', 'd.contact_id'),
    )
    .select([
      'd.id',
      'd.external_id',
      'd.name',
      'p.name as pipeline',
      's.key as stage',
      sql<string | null>`d.amount_minor::text`.as('amount_minor'),
      'd.currency',
      sql<string | null>`to_char(d.expected_close_on, 'YYYY-MM-DD')`.as('expected_close_on'),
      sql<string>`${ts('d.created_at')}`.as('created_at'),
      ts('d.won_at').as('won_at'),
      ts('d.lost_at').as('lost_at'),
      'd.lost_reason',
      'd.lost_note',
      'u.email as owner',
      'c.email as contact_email',
      'c.external_id as contact_external_id',
      'd.custom',
    ])
    .where('d.workspace_id', '=', workspaceId)
    .where('d.deleted_at', 'is', null);
  if (afterId) q = q.where('d.id', '>', afterId);
  return (await q.orderBy('d.id').limit(limit).execute()) as ExportRow[];
}

export async function customKeys(db: Db, workspaceId: string): Promise<string[]> {
  const res = await sql<{ key: string }>`
    SELECT DISTINCT jsonb_object_keys(custom) AS key FROM deals
    WHERE workspace_id = ${workspaceId} AND deleted_at IS NULL ORDER BY 1`.execute(db);
  return res.rows.map((r) => r.key);
}
