import type { CampaignSettingsDto } from '../../../contracts/campaigns.ts';
import type { AppContext } from '../../http/context.ts';
import type { Db } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Days before a planned campaign's start that owners of its members' contacts are told. */
export const DEFAULT_NOTICE_DAYS = 7;

export async function noticeDaysOf(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_settings')
    .select('notice_days')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.notice_days ?? DEFAULT_NOTICE_DAYS;
}

export async function getCampaignSettings(
  ctx: AppContext,
  workspaceId: string,
): Promise<CampaignSettingsDto> {
  return { noticeDays: await noticeDaysOf(ctx.db, workspaceId) };
}

/** Sets the workspace's notice period (a campaign's own noticeDays still wins). Audited. */
export async function updateCampaignSettings(
  ctx: AppContext,
  actor: Actor,
  input: { noticeDays: number },
): Promise<CampaignSettingsDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await noticeDaysOf(trx, actor.workspaceId);
    const at = ctx.clock.now();
    await trx
      .insertInto('campaign_settings')
      .values({ workspace_id: actor.workspaceId, notice_days: input.noticeDays, updated_at: at })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({ notice_days: input.noticeDays, updated_at: at }),
      )
      .execute();
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'campaign_settings',
      entityId: null,
      diff: { noticeDays: [before, input.noticeDays] },
      at,
    });
    return { noticeDays: input.noticeDays };
  });
}
