import { type Expression, type SqlBool, sql } from 'kysely';
import { type Actor, seesAllRecords } from '../modules/workspaces/workspaces.policy.ts';

/** Tables whose rows carry `owner_id` and `team_id` and follow the record visibility rules. */
export type OwnedTable = 'contacts' | 'companies' | 'deals';

/**
 * The one record-visibility rule, as a SQL condition on `table` (use it in every read and write
 * lookup of an owned record, so an invisible record is simply "not found"):
 * - admin, marketing, service: every record of the workspace;
 * - sales_rep: records they own, plus unassigned records (no owner) of their teams;
 * - sales_manager: records of their teams, records owned by a member of their teams, and their own.
 * The caller still scopes by workspace_id; this adds nothing about deletion.
 */
export function visibleTo(actor: Actor, table: OwnedTable): Expression<SqlBool> {
  if (seesAllRecords(actor)) return sql<SqlBool>`true`;
  const owner = sql.ref(`${table}.owner_id`);
  const team = sql.ref(`${table}.team_id`);
  const teams = actor.teamIds;
  const inTeams = teams.length ? sql<SqlBool>`${team} IN (${sql.join(teams)})` : sql<SqlBool>`false`;
  if (actor.role === 'sales_rep') {
    return sql<SqlBool>`(${owner} = ${actor.userId} OR (${owner} IS NULL AND ${inTeams}))`;
  }
  if (actor.role === 'sales_manager') {
    if (!teams.length) return sql<SqlBool>`${owner} = ${actor.userId}`;
    return sql<SqlBool>`(${inTeams} OR ${owner} = ${actor.userId} OR ${owner} IN (
      SELECT tm.user_id FROM team_members tm
      WHERE tm.workspace_id = ${actor.workspaceId} AND tm.team_id IN (${sql.join(teams)})))`;
  }
  return sql<SqlBool>`false`;
}
