import {
  type Expression,
  type Insertable,
  type SqlBool,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { AssignmentKind, CustomValues, Database } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';
import { scoreJoin, TEMPERATURE } from '../scoring/scoring.sql.ts';
import type { Db } from './lifecycle.repo.ts';

/** What routing rules look at: the contact, its company, and the scoring module's temperature. */
export interface RoutingFacts {
  id: string;
  owner_id: string | null;
  owner_active: boolean | null;
  team_id: string | null;
  country: string | null;
  tags: string[];
  custom: CustomValues;
  company_id: string | null;
  company_country: string | null;
  industry: string | null;
  employees: number | null;
  company_owner_id: string | null;
  company_owner_active: boolean | null;
  temperature: string;
}

export async function routingFacts(
  db: Db,
  workspaceId: string,
  contactId: string,
): Promise<RoutingFacts | undefined> {
  const res = await sql<RoutingFacts>`
    SELECT c.id, c.owner_id, ou.active AS owner_active, c.team_id, c.country, c.tags, c.custom,
           c.company_id, co.country AS company_country, co.industry, co.employees,
           co.owner_id AS company_owner_id, cu.active AS company_owner_active,
           ${TEMPERATURE} AS temperature
    FROM contacts c
    ${scoreJoin('c')}
    LEFT JOIN users ou ON ou.workspace_id = c.workspace_id AND ou.id = c.owner_id
    LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id AND co.deleted_at IS NULL
    LEFT JOIN users cu ON cu.workspace_id = c.workspace_id AND cu.id = co.owner_id
    WHERE c.workspace_id = ${workspaceId} AND c.id = ${contactId}`.execute(db);
  return res.rows[0];
}

export async function activeRules(db: Db, workspaceId: string) {
  return db
    .selectFrom('routing_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function allRules(db: Db, workspaceId: string) {
  return db
    .selectFrom('routing_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/**
 * Serializes routing within one team for the rest of the transaction (PostgreSQL advisory lock;
 * PGlite has a single connection, where it is trivially granted). Month counts read after it are
 * exact, so two leads arriving at once cannot both take a rep's last slot.
 */
export async function lockTeam(
  trx: Transaction<Database>,
  workspaceId: string,
  teamId: string,
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`route:${workspaceId}:${teamId}`}))`.execute(trx);
}

export interface TeamRep {
  user_id: string;
  weight: number;
  capacity: number | null;
  away_from: Date | null;
  away_until: Date | null;
  assigned: number;
}

/**
 * Active members of a team who are in the round-robin (the manager excepted) with their weight,
 * capacity, absence and month count.
 */
export async function teamReps(
  trx: Transaction<Database>,
  workspaceId: string,
  teamId: string,
  managerId: string | null,
  monthStart: Date,
): Promise<TeamRep[]> {
  const res = await sql<TeamRep>`
    SELECT u.id AS user_id, COALESCE(rs.weight, 1) AS weight, rs.monthly_capacity AS capacity,
           rs.away_from, rs.away_until,
           (SELECT count(*)::int FROM lead_assignments a
             WHERE a.workspace_id = u.workspace_id AND a.user_id = u.id AND a.assigned_at >= ${monthStart}
               AND a.kind IN ('rule','account','manual')) AS assigned
    FROM team_members tm
    JOIN users u ON u.workspace_id = tm.workspace_id AND u.id = tm.user_id
    LEFT JOIN rep_settings rs ON rs.workspace_id = u.workspace_id AND rs.user_id = u.id
    WHERE tm.workspace_id = ${workspaceId} AND tm.team_id = ${teamId} AND u.active
      AND COALESCE(rs.routing_active, true) AND u.id IS DISTINCT FROM ${managerId}
    ORDER BY u.id`.execute(trx);
  return res.rows.map((r) => ({ ...r, weight: Number(r.weight), assigned: Number(r.assigned) }));
}

export async function teamManager(db: Db, workspaceId: string, teamId: string): Promise<string | null> {
  const row = await sql<{ manager_id: string | null }>`
    SELECT tr.manager_id FROM team_routing tr
    JOIN users u ON u.workspace_id = tr.workspace_id AND u.id = tr.manager_id AND u.active
    WHERE tr.workspace_id = ${workspaceId} AND tr.team_id = ${teamId}`.execute(db);
  return row.rows[0]?.manager_id ?? null;
}

export async function openAssignment(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('lead_assignments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export interface AssignmentInsert {
  workspaceId: string;
  contactId: string;
  userId: string | null;
  teamId: string | null;
  kind: AssignmentKind;
  ruleId: string | null;
  ruleLabel: string;
  previousOwnerId: string | null;
  actorId: string | null;
  hot: boolean;
  at: Date;
  slaDueAt: Date;
}

export async function insertAssignment(trx: Transaction<Database>, a: AssignmentInsert): Promise<string> {
  const id = newId('asg', a.at.getTime());
  await trx
    .insertInto('lead_assignments')
    .values({
      workspace_id: a.workspaceId,
      id,
      contact_id: a.contactId,
      user_id: a.userId,
      team_id: a.teamId,
      kind: a.kind,
      rule_id: a.ruleId,
      rule_label: a.ruleLabel,
      previous_owner_id: a.previousOwnerId,
      actor_id: a.actorId,
      hot: a.hot,
      assigned_at: a.at,
      sla_due_at: a.slaDueAt,
    })
    .execute();
  return id;
}

export async function endAssignment(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  at: Date,
  reason: string,
): Promise<void> {
  await trx
    .updateTable('lead_assignments')
    .set({ ended_at: at, end_reason: reason })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function setOwner(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
  ownerId: string | null,
  teamId: string | null,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ owner_id: ownerId, team_id: teamId, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .execute();
}

export async function assignmentsOf(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('lead_assignments as a')
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 'a.workspace_id').onRef('u.id', '=', 'a.user_id'),
    )
    .selectAll('a')
    .select('u.name as user_name')
    .where('a.workspace_id', '=', workspaceId)
    .where('a.contact_id', '=', contactId)
    .orderBy('a.assigned_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/**
 * Records the first sales touch on the open assignments of these contacts (touches that came after
 * the assignment). One statement per batch of touches; the touch log calls it as it writes.
 */
export async function markFirstSalesTouch(
  trx: Transaction<Database>,
  workspaceId: string,
  touches: { contactId: string; at: Date }[],
): Promise<void> {
  if (!touches.length) return;
  await sql`
    UPDATE lead_assignments a SET first_sales_touch_at = v.at
    FROM (SELECT id, min(at) AS at FROM unnest(${touches.map((t) => t.contactId)}::text[],
                 ${touches.map((t) => t.at.toISOString())}::timestamptz[]) AS u(id, at) GROUP BY id) v
    WHERE a.workspace_id = ${workspaceId} AND a.contact_id = v.id AND a.ended_at IS NULL
      AND a.first_sales_touch_at IS NULL AND v.at >= a.assigned_at`.execute(trx);
}

export async function insertRule(trx: Transaction<Database>, row: Insertable<Database['routing_rules']>) {
  await trx.insertInto('routing_rules').values(row).execute();
}

export async function findRule(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('routing_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateRule(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  set: Updateable<Database['routing_rules']>,
) {
  await trx
    .updateTable('routing_rules')
    .set(set)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deleteRule(trx: Transaction<Database>, workspaceId: string, id: string) {
  await trx
    .deleteFrom('routing_rules')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function nextRulePosition(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('routing_rules')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1;
}

export async function teamExists(db: Db, workspaceId: string, teamId: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('teams')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', teamId)
      .executeTakeFirst(),
  );
}

export async function setTeamManager(
  trx: Transaction<Database>,
  workspaceId: string,
  teamId: string,
  managerId: string | null,
) {
  await trx
    .insertInto('team_routing')
    .values({ workspace_id: workspaceId, team_id: teamId, manager_id: managerId })
    .onConflict((oc) => oc.columns(['workspace_id', 'team_id']).doUpdateSet({ manager_id: managerId }))
    .execute();
}

export async function teamManagers(db: Db, workspaceId: string) {
  return db.selectFrom('team_routing').selectAll().where('workspace_id', '=', workspaceId).execute();
}

export async function upsertRepSettings(
  trx: Transaction<Database>,
  workspaceId: string,
  userId: string,
  set: {
    weight?: number;
    monthly_capacity?: number | null;
    away_from?: Date | null;
    away_until?: Date | null;
    routing_active?: boolean;
  },
  at: Date,
) {
  await trx
    .insertInto('rep_settings')
    .values({ workspace_id: workspaceId, user_id: userId, ...set, updated_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ ...set, updated_at: at }))
    .execute();
}

export interface RepListRow {
  user_id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
  team_ids: string[] | null;
  weight: number | null;
  monthly_capacity: number | null;
  routing_active: boolean | null;
  away_from: Date | null;
  away_until: Date | null;
  assigned: number;
}

/** Sales people of the workspace with their routing settings and this month's count. */
export async function listReps(db: Db, workspaceId: string, monthStart: Date): Promise<RepListRow[]> {
  const res = await sql<RepListRow>`
    SELECT u.id AS user_id, u.name, u.email, u.role, u.active,
           (SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm
             WHERE tm.workspace_id = u.workspace_id AND tm.user_id = u.id) AS team_ids,
           rs.weight, rs.monthly_capacity, rs.routing_active, rs.away_from, rs.away_until,
           (SELECT count(*)::int FROM lead_assignments a WHERE a.workspace_id = u.workspace_id AND a.user_id = u.id
              AND a.assigned_at >= ${monthStart} AND a.kind IN ('rule','account','manual')) AS assigned
    FROM users u
    LEFT JOIN rep_settings rs ON rs.workspace_id = u.workspace_id AND rs.user_id = u.id
    WHERE u.workspace_id = ${workspaceId} AND u.role IN ('sales_rep','sales_manager')
    ORDER BY u.name, u.id`.execute(db);
  return res.rows;
}

export interface OverflowRow {
  assignment_id: string;
  contact_id: string;
  name: string | null;
  email: string | null;
  temperature: string;
  team_id: string | null;
  manager_id: string | null;
  rule_label: string;
  assigned_at: Date;
  sla_due_at: Date;
  breached_at: Date | null;
}

/**
 * Open overflow assignments (leads no rep of the team could take) the actor may see, oldest first.
 * Unaliased `contacts`: visibleTo() names the table.
 */
export async function overflowQueue(
  db: Db,
  workspaceId: string,
  visible: Expression<SqlBool>,
  limit: number,
): Promise<OverflowRow[]> {
  const res = await sql<OverflowRow>`
    SELECT a.id AS assignment_id, a.contact_id,
           NULLIF(trim(concat_ws(' ', contacts.first_name, contacts.last_name)), '') AS name,
           contacts.email, ${TEMPERATURE} AS temperature, a.team_id, a.user_id AS manager_id, a.rule_label,
           a.assigned_at, a.sla_due_at, a.breached_at
    FROM lead_assignments a
    JOIN contacts ON contacts.workspace_id = a.workspace_id AND contacts.id = a.contact_id
    ${scoreJoin('contacts')}
    WHERE a.workspace_id = ${workspaceId} AND a.kind = 'overflow' AND a.ended_at IS NULL
      AND contacts.deleted_at IS NULL AND ${visible}
    ORDER BY a.assigned_at, a.id
    LIMIT ${limit}`.execute(db);
  return res.rows;
}

export async function ruleIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('routing_rules')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .execute();
  return rows.map((r) => r.id);
}

/** Positions 0..n-1 in the given order, one statement (the caller checked the ids are the full set). */
export async function reorderRules(trx: Transaction<Database>, workspaceId: string, ids: string[], at: Date) {
  await sql`
    UPDATE routing_rules r SET position = o.pos - 1, updated_at = ${at}
    FROM unnest(${ids}::text[]) WITH ORDINALITY AS o(id, pos)
    WHERE r.workspace_id = ${workspaceId} AND r.id = o.id`.execute(trx);
}

/** Whether `userId` belongs to a team that `managerId` manages (team_routing) or is a member of. */
export async function sharesTeamWith(db: Db, workspaceId: string, managerId: string, userId: string) {
  const res = await sql<{ ok: number }>`
    SELECT 1 AS ok FROM team_members tm
    WHERE tm.workspace_id = ${workspaceId} AND tm.user_id = ${userId} AND tm.team_id IN (
      SELECT tr.team_id FROM team_routing tr WHERE tr.workspace_id = ${workspaceId} AND tr.manager_id = ${managerId}
      UNION
      SELECT m.team_id FROM team_members m WHERE m.workspace_id = ${workspaceId} AND m.user_id = ${managerId})
    LIMIT 1`.execute(db);
  return res.rows.length > 0;
}
