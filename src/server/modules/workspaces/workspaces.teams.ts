/** Teams and their members (apart from workspaces.service.ts, which is about signing in). */

import type { Transaction } from 'kysely';
import type { TeamCreate, TeamDto, TeamUpdate } from '../../../contracts/workspaces.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from './workspaces.policy.ts';
import * as repo from './workspaces.repo.ts';

export async function listTeams(ctx: AppContext, actor: Actor): Promise<{ items: TeamDto[] }> {
  const teams = await repo.listTeams(ctx.db, actor.workspaceId);
  const members = await repo.membersOfTeams(ctx.db, actor.workspaceId);
  return { items: teams.map((t) => ({ id: t.id, name: t.name, memberIds: members.get(t.id) ?? [] })) };
}

/** One team of the actor's workspace; another workspace's team is a 404. */
export async function getTeam(ctx: AppContext, actor: Actor, id: string): Promise<TeamDto> {
  const team = await repo.getTeam(ctx.db, actor.workspaceId, id);
  if (!team) throw new NotFoundError('Team', id);
  const members = await repo.membersOfTeams(ctx.db, actor.workspaceId, [id]);
  return { id: team.id, name: team.name, memberIds: members.get(id) ?? [] };
}

/** De-duplicated member ids, all of them users of this workspace, or a 400 naming `memberIds`. */
async function checkedMembers(
  trx: Transaction<Database>,
  workspaceId: string,
  ids: string[],
): Promise<string[]> {
  const unique = [...new Set(ids)];
  const known = await repo.existingIds(trx, 'users', workspaceId, unique);
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ValidationError('Unknown team members', {
      memberIds: `unknown user ids: ${unknown.join(', ')}`,
    });
  return unique.sort();
}

async function assertNameFree(
  trx: Transaction<Database>,
  workspaceId: string,
  name: string,
  selfId?: string,
) {
  const clash = await repo.findTeamByName(trx, workspaceId, name);
  if (clash && clash.id !== selfId)
    throw new ConflictError('A team with this name already exists', clash.id, { name: 'is taken' });
}

/** Both pre-checks can lose a race; the unique index then decides and the answer is still a 409. */
async function conflictOnRace<T>(
  ctx: AppContext,
  workspaceId: string,
  name: string | undefined,
  run: () => Promise<T>,
) {
  try {
    return await run();
  } catch (err) {
    if (!repo.isUniqueViolation(err) || name === undefined) throw err;
    const clash = await repo.findTeamByName(ctx.db, workspaceId, name);
    throw new ConflictError('A team with this name already exists', clash?.id, { name: 'is taken' });
  }
}

/** Creates a team with members; names are unique per workspace regardless of case (409). */
export async function createTeam(ctx: AppContext, actor: Actor, input: TeamCreate): Promise<TeamDto> {
  const id = newId('team', ctx.clock.now().getTime());
  await conflictOnRace(ctx, actor.workspaceId, input.name, () =>
    ctx.db.transaction().execute(async (trx) => {
      const memberIds = await checkedMembers(trx, actor.workspaceId, input.memberIds);
      await assertNameFree(trx, actor.workspaceId, input.name);
      await repo.insertTeam(trx, actor.workspaceId, id, input.name);
      await repo.insertMemberships(
        trx,
        actor.workspaceId,
        memberIds.map((userId) => ({ teamId: id, userId })),
      );
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'create',
        entityType: 'team',
        entityId: id,
        diff: { name: input.name, memberIds },
        at: ctx.clock.now(),
      });
    }),
  );
  return getTeam(ctx, actor, id);
}

/**
 * Renames a team and/or replaces its members (`memberIds` is the whole new list). One audit row
 * records the rename and who joined and left; an update that changes nothing writes nothing.
 */
export async function updateTeam(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: TeamUpdate,
): Promise<TeamDto> {
  await conflictOnRace(ctx, actor.workspaceId, input.name, () =>
    ctx.db.transaction().execute(async (trx) => {
      const team = await repo.getTeam(trx, actor.workspaceId, id, true);
      if (!team) throw new NotFoundError('Team', id);
      const diff: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== team.name) {
        await assertNameFree(trx, actor.workspaceId, input.name, id);
        await repo.renameTeam(trx, actor.workspaceId, id, input.name);
        diff.name = { from: team.name, to: input.name };
      }
      if (input.memberIds !== undefined) {
        const next = await checkedMembers(trx, actor.workspaceId, input.memberIds);
        const current = (await repo.membersOfTeams(trx, actor.workspaceId, [id])).get(id) ?? [];
        const added = next.filter((u) => !current.includes(u));
        const removed = current.filter((u) => !next.includes(u));
        await repo.removeMembers(trx, actor.workspaceId, id, removed);
        await repo.insertMemberships(
          trx,
          actor.workspaceId,
          added.map((userId) => ({ teamId: id, userId })),
        );
        if (added.length > 0 || removed.length > 0) diff.memberIds = { added, removed };
      }
      if (Object.keys(diff).length === 0) return;
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'update',
        entityType: 'team',
        entityId: id,
        diff,
        at: ctx.clock.now(),
      });
    }),
  );
  return getTeam(ctx, actor, id);
}
