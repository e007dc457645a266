import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Keyset pages of what an actor may export (visibility rules apply exactly as in the lists). */
export type ExportRow = Record<string, unknown>;

/**
 * `extra`: a further condition on `contacts` (a segment's compiled definition). The table keeps its
 * own name (no alias) because visibleTo and segment conditions refer to `contacts.…`.
 */
export async function contactsPage(
  db: Kysely<Database>,
  actor: Actor,
  afterId: string,
  limit: number,
  extra?: Expression<SqlBool>,
): Promise<ExportRow[]> {
  const res = await sql<ExportRow>`
    SELECT contacts.id, contacts.external_id, contacts.email, contacts.first_name, contacts.last_name,
           contacts.phone, contacts.title, contacts.company_name, co.domain AS company_domain, contacts.country,
           contacts.language, contacts.tags, u.email AS owner, contacts.source_channel, contacts.source_utm_source,
           contacts.source_utm_medium, contacts.source_utm_campaign, contacts.source_referrer,
           contacts.first_touch_at, contacts.created_at, contacts.custom
    FROM contacts
    LEFT JOIN companies co ON co.workspace_id = contacts.workspace_id AND co.id = contacts.company_id
    LEFT JOIN users u ON u.workspace_id = contacts.workspace_id AND u.id = contacts.owner_id
    WHERE contacts.workspace_id = ${actor.workspaceId} AND contacts.deleted_at IS NULL AND contacts.id > ${afterId}
      AND ${visibleTo(actor, 'contacts')} ${extra ? sql`AND ${extra}` : sql``}
    ORDER BY contacts.id LIMIT ${limit}`.execute(db);
  return res.rows;
}

export async function companiesPage(
  db: Kysely<Database>,
  actor: Actor,
  afterId: string,
  limit: number,
): Promise<ExportRow[]> {
  const res = await sql<ExportRow>`
    SELECT companies.id, companies.name, companies.domain, companies.website, companies.industry, companies.employees,
           companies.country, companies.phone, companies.tags, u.email AS owner, companies.created_at, companies.custom
    FROM companies
    LEFT JOIN users u ON u.workspace_id = companies.workspace_id AND u.id = companies.owner_id
    WHERE companies.workspace_id = ${actor.workspaceId} AND companies.deleted_at IS NULL AND companies.id > ${afterId}
      AND ${visibleTo(actor, 'companies')}
    ORDER BY companies.id LIMIT ${limit}`.execute(db);
  return res.rows;
}

export async function touchesPage(
  db: Kysely<Database>,
  actor: Actor,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<ExportRow[]> {
  const res = await sql<ExportRow>`
    SELECT t.id, t.occurred_at, contacts.email AS contact_email, contacts.external_id AS contact_external_id, t.type,
           t.direction, t.channel, t.campaign_id, t.metadata->>'subject' AS subject
    FROM touches t
    JOIN contacts ON contacts.workspace_id = t.workspace_id AND contacts.id = t.contact_id
    WHERE t.workspace_id = ${actor.workspaceId} AND ${visibleTo(actor, 'contacts')}
      ${after ? sql`AND (t.occurred_at, t.id) > (${after.at}::timestamptz, ${after.id})` : sql``}
    ORDER BY t.occurred_at, t.id LIMIT ${limit}`.execute(db);
  return res.rows;
}

/** Deals the actor may see (owner/team visibility, as in the pipeline), with their contact's keys. */
export async function dealsPage(
  db: Kysely<Database>,
  actor: Actor,
  afterId: string,
  limit: number,
): Promise<ExportRow[]> {
  const res = await sql<ExportRow>`
    SELECT deals.id, deals.external_id, deals.name, p.name AS pipeline, s.key AS stage,
           deals.amount_minor::text AS amount_minor, deals.currency,
           to_char(deals.expected_close_on, 'YYYY-MM-DD') AS expected_close_on, deals.created_at, deals.won_at,
           deals.lost_at, deals.lost_reason, deals.lost_note, u.email AS owner, c.email AS contact_email,
           c.external_id AS contact_external_id, deals.custom
    FROM deals
    JOIN pipelines p ON p.workspace_id = deals.workspace_id AND p.id = deals.pipeline_id
    JOIN pipeline_stages s ON s.workspace_id = deals.workspace_id AND s.id = deals.stage_id
    LEFT JOIN users u ON u.workspace_id = deals.workspace_id AND u.id = deals.owner_id
    LEFT JOIN contacts c ON c.workspace_id = deals.workspace_id AND c.id = deals.contact_id
    WHERE deals.workspace_id = ${actor.workspaceId} AND deals.deleted_at IS NULL AND deals.id > ${afterId}
      AND ${visibleTo(actor, 'deals')}
    ORDER BY deals.id LIMIT ${limit}`.execute(db);
  return res.rows;
}

/** Deals have no custom field definitions: the keys their values use. */
export async function dealCustomKeys(db: Kysely<Database>, workspaceId: string): Promise<string[]> {
  const res = await sql<{ key: string }>`
    SELECT DISTINCT jsonb_object_keys(custom) AS key FROM deals
    WHERE workspace_id = ${workspaceId} AND deleted_at IS NULL ORDER BY 1`.execute(db);
  return res.rows.map((r) => r.key);
}

export async function customKeys(
  db: Kysely<Database>,
  workspaceId: string,
  entity: 'contact' | 'company',
): Promise<string[]> {
  const rows = await db
    .selectFrom('custom_fields')
    .select('key')
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .orderBy('key')
    .execute();
  return rows.map((r) => r.key);
}
