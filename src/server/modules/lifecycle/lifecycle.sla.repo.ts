import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { Db } from './lifecycle.repo.ts';

export interface OpenSlaRow {
  workspace_id: string;
  id: string;
  contact_id: string;
  user_id: string | null;
  team_id: string | null;
  assigned_at: Date;
  sla_due_at: Date;
  breached_at: Date | null;
}

/** Open, untouched, not yet breached assignments whose SLA is due: at most `limit`, locked, skipping locked ones. */
export async function claimDueSla(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<OpenSlaRow[]> {
  const res = await sql<OpenSlaRow>`
    SELECT workspace_id, id, contact_id, user_id, team_id, assigned_at, sla_due_at, breached_at
    FROM lead_assignments
    WHERE ended_at IS NULL AND first_sales_touch_at IS NULL AND breached_at IS NULL AND sla_due_at <= ${now}
    ORDER BY sla_due_at
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`.execute(trx);
  return res.rows;
}

/** Open assignments with no sales touch for longer than the workspace's recycle period. */
export async function claimStale(trx: Transaction<Database>, now: Date, limit: number, defaultDays: number) {
  const res = await sql<OpenSlaRow & { recycle_days: number }>`
    SELECT a.workspace_id, a.id, a.contact_id, a.user_id, a.team_id, a.assigned_at, a.sla_due_at, a.breached_at,
           COALESCE((s.settings->>'recycleDays')::int, ${defaultDays}) AS recycle_days
    FROM lead_assignments a
    LEFT JOIN lifecycle_settings s ON s.workspace_id = a.workspace_id
    WHERE a.ended_at IS NULL AND a.first_sales_touch_at IS NULL
      AND a.sla_due_at <= ${now}
      AND a.assigned_at <= ${now}::timestamptz
            - make_interval(days => COALESCE((s.settings->>'recycleDays')::int, ${defaultDays}))
    ORDER BY a.assigned_at
    LIMIT ${limit}
    FOR UPDATE OF a SKIP LOCKED`.execute(trx);
  return res.rows;
}

/** The first sales touch on a contact at or after a time (the touch log is the truth; imports write it too). */
export async function firstSalesTouch(
  db: Db,
  workspaceId: string,
  contactId: string,
  since: Date,
): Promise<Date | null> {
  const res = await sql<{ at: Date | null }>`
    SELECT min(occurred_at) AS at FROM touches
    WHERE workspace_id = ${workspaceId} AND contact_id = ${contactId} AND direction = 'sales'
      AND occurred_at >= ${since}`.execute(db);
  const at = res.rows[0]?.at;
  return at ? new Date(at) : null;
}

export async function setTouched(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  at: Date,
  breachedAt: Date | null,
) {
  await trx
    .updateTable('lead_assignments')
    .set({ first_sales_touch_at: at, ...(breachedAt ? { breached_at: breachedAt } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function setBreached(trx: Transaction<Database>, workspaceId: string, id: string, at: Date) {
  await trx
    .updateTable('lead_assignments')
    .set({ breached_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Who hears of a breach: the team's manager, else every active sales manager of the workspace. */
export async function managersFor(db: Db, workspaceId: string, teamId: string | null): Promise<string[]> {
  if (teamId) {
    const res = await sql<{ id: string }>`
      SELECT u.id FROM team_routing tr JOIN users u ON u.workspace_id = tr.workspace_id AND u.id = tr.manager_id
      WHERE tr.workspace_id = ${workspaceId} AND tr.team_id = ${teamId} AND u.active`.execute(db);
    if (res.rows.length) return res.rows.map((r) => r.id);
  }
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'sales_manager')
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.id);
}

export interface SlaStatRow {
  id: string;
  name: string;
  assigned: number;
  touched: number;
  avg_hours: number | null;
  median_hours: number | null;
  breaches: number;
  open_breaches: number;
}

/** Time to first sales touch and breaches, per rep or per team, for assignments made in [from, to). */
export async function slaStats(
  db: Db,
  workspaceId: string,
  by: 'rep' | 'team',
  from: Date,
  to: Date,
): Promise<SlaStatRow[]> {
  const key = by === 'rep' ? sql.ref('a.user_id') : sql.ref('a.team_id');
  const name =
    by === 'rep'
      ? sql`(SELECT u.name FROM users u WHERE u.workspace_id = a.workspace_id AND u.id = a.user_id)`
      : sql`(SELECT t.name FROM teams t WHERE t.workspace_id = a.workspace_id AND t.id = a.team_id)`;
  const res = await sql<SlaStatRow>`
    SELECT ${key} AS id, max(${name}) AS name, count(*)::int AS assigned,
           count(a.first_sales_touch_at)::int AS touched,
           avg(extract(epoch FROM a.first_sales_touch_at - a.assigned_at) / 3600)::float8 AS avg_hours,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.first_sales_touch_at - a.assigned_at) / 3600)::float8 AS median_hours,
           count(a.breached_at)::int AS breaches,
           count(*) FILTER (WHERE a.breached_at IS NOT NULL AND a.first_sales_touch_at IS NULL AND a.ended_at IS NULL)::int AS open_breaches
    FROM lead_assignments a
    WHERE a.workspace_id = ${workspaceId} AND a.assigned_at >= ${from} AND a.assigned_at < ${to} AND ${key} IS NOT NULL
    GROUP BY ${key}
    ORDER BY 2`.execute(db);
  return res.rows;
}

export async function breachList(db: Db, workspaceId: string, from: Date, to: Date, limit: number) {
  const res = await sql<{
    id: string;
    contact_id: string;
    contact_name: string | null;
    user_id: string | null;
    user_name: string | null;
    team_id: string | null;
    sla_due_at: Date;
    breached_at: Date;
    first_sales_touch_at: Date | null;
  }>`
    SELECT a.id, a.contact_id,
           COALESCE(NULLIF(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email) AS contact_name,
           a.user_id, u.name AS user_name, a.team_id, a.sla_due_at, a.breached_at, a.first_sales_touch_at
    FROM lead_assignments a
    JOIN contacts c ON c.workspace_id = a.workspace_id AND c.id = a.contact_id
    LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.user_id
    WHERE a.workspace_id = ${workspaceId} AND a.breached_at IS NOT NULL
      AND a.assigned_at >= ${from} AND a.assigned_at < ${to}
    ORDER BY a.breached_at DESC
    LIMIT ${limit}`.execute(db);
  return res.rows;
}
