import type { AppContext } from '../../http/context.ts';
import type { AnyJob } from '../../jobs/queue.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './campaigns.repo.ts';
import { DEFAULT_NOTICE_DAYS } from './campaigns.settings.ts';

/** Names listed in one notification; the rest are counted ("and 12 more"). */
const NAMES_LISTED = 20;

export interface LaunchNoticeResult {
  campaigns: number;
  notifications: number;
}

/**
 * "Involve sales early": for each planned campaign whose start is within its notice period (default
 * 7 days, per workspace or per campaign), tells the owner of every member contact, once, which of
 * their contacts are in it. A campaign is marked announced once some owner was told; one whose
 * members have no owners yet is looked at again on the next run (members may still be added).
 * Each campaign is announced in its own transaction with its rows locked: safe with several workers.
 */
export async function notifySalesOfLaunches(ctx: AppContext): Promise<LaunchNoticeResult> {
  const now = ctx.clock.now();
  const due = await repo.dueLaunches(ctx.db, now, DEFAULT_NOTICE_DAYS);
  const result: LaunchNoticeResult = { campaigns: 0, notifications: 0 };
  for (const launch of due) {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.lockUnnotified(trx, launch.workspace_id, launch.id))) return;
      const members = await repo.ownedMembers(trx, launch.workspace_id, launch.id);
      if (!members.length) return;
      const byOwner = new Map<string, repo.OwnedMember[]>();
      for (const m of members) {
        const list = byOwner.get(m.owner_id) ?? [];
        list.push(m);
        byOwner.set(m.owner_id, list);
      }
      let written = 0;
      for (const [ownerId, contacts] of byOwner) {
        const named = contacts.slice(0, NAMES_LISTED).map((c) => ({
          id: c.contact_id,
          name: [c.first_name, c.last_name].filter(Boolean).join(' ') || c.email || c.contact_id,
        }));
        const more = contacts.length - named.length;
        const sent = await notify(trx, {
          workspaceId: launch.workspace_id,
          userIds: [ownerId],
          kind: 'campaign_launch',
          title: `${launch.name} starts ${launch.starts_on}`,
          body:
            `Your contacts in its audience (${contacts.length}): ${named.map((n) => n.name).join(', ')}` +
            (more > 0 ? ` and ${more} more` : ''),
          link: `/campaigns/${launch.id}`,
          data: {
            campaignId: launch.id,
            campaignName: launch.name,
            startsOn: launch.starts_on,
            contacts: named,
            total: contacts.length,
          },
          dedupeKey: `campaign_launch:${launch.id}:${launch.starts_on}`,
          at: now,
        });
        written += sent.length;
      }
      await repo.markSalesNotified(trx, launch.workspace_id, launch.id, now);
      await appendAudit(trx, {
        workspaceId: launch.workspace_id,
        actorUserId: null,
        actorLabel: 'system',
        action: 'notify_sales',
        entityType: 'campaign',
        entityId: launch.id,
        diff: { owners: byOwner.size, contacts: members.length, startsOn: launch.starts_on },
        at: now,
      });
      result.campaigns++;
      result.notifications += written;
    });
  }
  return result;
}

/** Runs hourly: a launch notice may be a few hours late, never early, never twice. */
export function notifySalesOfLaunchesJob(ctx: AppContext): AnyJob {
  return {
    name: 'notifySalesOfLaunches',
    cron: '7 * * * *',
    retryLimit: 3,
    run: async () => {
      await notifySalesOfLaunches(ctx);
    },
  };
}
