import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Keyset pages of what an actor may export (visibility rules apply exactly as in the lists). */
export type ExportRow = Record<string, unknown>;

export async function contactsPage(
  db: Kysely<Database>,
  actor: Actor,
  afterId: string,
  limit: number,
): Promise<ExportRow[]> {
  const res = await sql<ExportRow>`
    SELECT c.id, c.external_id, c.email, c.first_name, c.last_name, c.phone, c.title, c.company_name,
           co.domain AS company_domain, c.country, c.language, c.tags, u.email AS owner, c.source_channel,
           c.source_utm_source, c.source_utm_medium, c.source_utm_campaign, c.source_referrer, c.first_touch_at,
           c.created_at, c.custom
    FROM contacts c
    LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
    LEFT JOIN users u ON u.workspace_id = c.workspace_id AND u.id = c.owner_id
    WHERE c.workspace_id = ${actor.workspaceId} AND c.deleted_at IS NULL AND c.id > ${afterId}
      AND ${visibleTo(actor, 'contacts')}
    ORDER BY c.id LIMIT ${limit}`.execute(db);
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
