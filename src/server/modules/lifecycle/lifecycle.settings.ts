import type { Transaction } from 'kysely';
import {
  DEFAULT_LIFECYCLE_SETTINGS,
  type LifecycleSettings,
  lifecycleSettingsSchema,
} from '../../../contracts/lifecycle.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './lifecycle.repo.ts';

/** The workspace's lifecycle settings: stored values over the shipped defaults. */
export async function getSettings(db: repo.Db, workspaceId: string): Promise<LifecycleSettings> {
  const stored = (await repo.readSettings(db, workspaceId)) ?? {};
  const merged = { ...DEFAULT_LIFECYCLE_SETTINGS, ...stored };
  const parsed = lifecycleSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_LIFECYCLE_SETTINGS;
}

export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  patch: Partial<LifecycleSettings>,
): Promise<LifecycleSettings> {
  return ctx.db.transaction().execute(async (trx: Transaction<Database>) => {
    const before = await getSettings(trx, actor.workspaceId);
    const next = { ...before, ...patch };
    const at = ctx.clock.now();
    await repo.writeSettings(trx, actor.workspaceId, next, at);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'lifecycle.settings_changed',
      entityType: 'workspace',
      entityId: actor.workspaceId,
      diff: Object.fromEntries(
        Object.keys(patch).map((k) => [
          k,
          [before[k as keyof LifecycleSettings], next[k as keyof LifecycleSettings]],
        ]),
      ),
      at,
    });
    return next;
  });
}
