import { addUser, createTeam, createWorkspace, type TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { LifecycleStage } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';
import { changeStage } from './lifecycle.service.ts';

/** Test helpers for the lifecycle suites (not a test file itself). */

/** Inserts bare contacts straight into the table (routing tests need many, fast). */
export async function insertContacts(
  t: TestBackend,
  workspaceId: string,
  n: number,
  fields: { country?: string; company_id?: string; owner_id?: string; tags?: string[] } = {},
): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId('ctc'));
  for (let i = 0; i < ids.length; i += 500) {
    await t.ctx.db
      .insertInto('contacts')
      .values(
        ids.slice(i, i + 500).map((id, j) => ({
          workspace_id: workspaceId,
          id,
          email: `lead${i + j}-${id.slice(-6)}@example.com`,
          country: fields.country ?? null,
          company_id: fields.company_id ?? null,
          owner_id: fields.owner_id ?? null,
          tags: fields.tags ?? [],
          custom: JSON.stringify({}),
        })),
      )
      .execute();
  }
  return ids;
}

export async function moveTo(
  t: TestBackend,
  workspaceId: string,
  contactId: string,
  to: LifecycleStage,
  cause: 'rule' | 'user' | 'system' = 'rule',
  reason?: string,
) {
  return t.ctx.db
    .transaction()
    .execute((trx) => changeStage(trx, t.ctx, { workspaceId, contactId, to, cause, reason }));
}

export interface SalesFloor {
  admin: TestUser;
  teamId: string;
  manager: TestUser;
  reps: TestUser[];
}

/** A workspace with one team: a manager and `n` reps, a catch-all routing rule to the team. */
export async function salesFloor(
  t: TestBackend,
  n: number,
  ruleConditions: Record<string, unknown> = {},
): Promise<SalesFloor> {
  const admin = await createWorkspace(t);
  const teamId = await createTeam(t, admin.workspaceId, 'Inside sales');
  const manager = await addUser(t, admin.workspaceId, 'sales_manager', { teamIds: [teamId] });
  const reps: TestUser[] = [];
  for (let i = 0; i < n; i++)
    reps.push(await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [teamId] }));
  const put = await admin.api.put(`/api/lifecycle/teams/${teamId}`, { managerId: manager.userId });
  if (put.status !== 200) throw new Error(`team manager: ${JSON.stringify(put.body)}`);
  const rule = await admin.api.post('/api/lifecycle/routing-rules', {
    name: 'Everyone',
    teamId,
    conditions: ruleConditions,
  });
  if (rule.status !== 201) throw new Error(`rule: ${JSON.stringify(rule.body)}`);
  return { admin, teamId, manager, reps };
}

export async function ownerCounts(t: TestBackend, workspaceId: string): Promise<Map<string | null, number>> {
  const rows = await t.ctx.db
    .selectFrom('lead_assignments')
    .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}
