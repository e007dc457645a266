import { DEFAULT_LIFECYCLE_SETTINGS, type SlaReportDto } from '../../../contracts/lifecycle.ts';
import type { AppContext } from '../../http/context.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { notify } from '../notifications/notifications.service.ts';
import { playbookJobBatch } from './lifecycle.playbooks.repo.ts';
import { applyPlaybook } from './lifecycle.playbooks.ts';
import { lockContactStage } from './lifecycle.repo.ts';
import { endAssignment } from './lifecycle.routing.repo.ts';
import { changeStage } from './lifecycle.service.ts';
import * as repo from './lifecycle.sla.repo.ts';
import * as trepo from './lifecycle.tasks.repo.ts';

const DAY = 86_400_000;

export interface SweepResult {
  touched: number;
  breached: number;
  recycled: number;
}

/**
 * One bounded pass of the SLA clock (the recurring job runs it every minute; tests call it after
 * moving the clock): at most `limit` due assignments are checked against the touch log. A sales
 * touch found closes the SLA (a late one still counts as a breach); none breaches it and notifies
 * the manager; a lead with no sales touch after the recycle period goes back to marketing.
 */
export async function sweepSla(ctx: AppContext, limit = 500): Promise<SweepResult> {
  const result: SweepResult = { touched: 0, breached: 0, recycled: 0 };
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const a of await repo.claimDueSla(trx, now, limit)) {
      const first = await repo.firstSalesTouch(trx, a.workspace_id, a.contact_id, new Date(a.assigned_at));
      if (first) {
        await repo.setTouched(
          trx,
          a.workspace_id,
          a.id,
          first,
          first > new Date(a.sla_due_at) ? new Date(a.sla_due_at) : null,
        );
        result.touched++;
        continue;
      }
      await repo.setBreached(trx, a.workspace_id, a.id, now);
      const managers = await repo.managersFor(trx, a.workspace_id, a.team_id);
      await notify(trx, {
        workspaceId: a.workspace_id,
        userIds: [...managers, ...(a.user_id ? [a.user_id] : [])],
        kind: 'sla_breach',
        title: 'A lead missed its first-touch SLA',
        link: `/contacts/${a.contact_id}`,
        data: { contactId: a.contact_id, assignmentId: a.id, ownerId: a.user_id },
        dedupeKey: `sla_breach:${a.id}`,
        at: now,
      });
      await appendAudit(trx, {
        workspaceId: a.workspace_id,
        actorUserId: null,
        actorLabel: 'system',
        action: 'lead.sla_breached',
        entityType: 'contact',
        entityId: a.contact_id,
        diff: { assignmentId: a.id, ownerId: a.user_id, slaDueAt: new Date(a.sla_due_at).toISOString() },
        at: now,
      });
      result.breached++;
    }
  });
  await ctx.db.transaction().execute(async (trx) => {
    for (const a of await repo.claimStale(trx, now, limit, DEFAULT_LIFECYCLE_SETTINGS.recycleDays)) {
      const first = await repo.firstSalesTouch(trx, a.workspace_id, a.contact_id, new Date(a.assigned_at));
      if (first) {
        await repo.setTouched(
          trx,
          a.workspace_id,
          a.id,
          first,
          a.breached_at ? null : new Date(a.sla_due_at),
        );
        result.touched++;
        continue;
      }
      const stage = await lockContactStage(trx, a.workspace_id, a.contact_id);
      if (stage?.lifecycle_stage !== 'mql' && stage?.lifecycle_stage !== 'sql') {
        // Already further on (a deal, a customer) or out: nothing to recycle, the SLA clock stops.
        await endAssignment(trx, a.workspace_id, a.id, now, 'progressed');
        continue;
      }
      await changeStage(trx, ctx, {
        workspaceId: a.workspace_id,
        contactId: a.contact_id,
        to: 'recycled',
        cause: 'system',
        reason: `no sales touch within ${a.recycle_days} days`,
      });
      result.recycled++;
    }
  });
  return result;
}

/** Sends the reminders whose time has come (at most `limit` per pass), each once. */
export async function sendDueReminders(ctx: AppContext, limit = 500): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trepo.claimDueReminders(trx, now, limit);
    for (const t of due) {
      await notify(trx, {
        workspaceId: t.workspace_id,
        userIds: [t.owner_id],
        kind: 'task_reminder',
        title: t.title,
        link: t.contact_id ? `/contacts/${t.contact_id}` : '/my-day',
        data: { taskId: t.id, type: t.type, dueAt: t.due_at ? new Date(t.due_at).toISOString() : null },
        dedupeKey: `task_reminder:${t.id}`,
        at: now,
      });
    }
    await trepo.markReminded(trx, due, now);
    return due.length;
  });
}

/** Runs the playbook of owned leads whose temperature moved since it last ran (at most `limit`). */
export async function runPendingPlaybooks(ctx: AppContext, limit = 200): Promise<number> {
  const batch = await playbookJobBatch(ctx.db, limit);
  for (const c of batch) {
    await ctx.db.transaction().execute(async (trx) => {
      await lockContactStage(trx, c.workspace_id, c.id);
      await applyPlaybook(trx, ctx, { workspaceId: c.workspace_id, contactId: c.id });
    });
  }
  return batch.length;
}

export async function slaReport(
  ctx: AppContext,
  workspaceId: string,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<SlaReportDto> {
  const now = ctx.clock.now();
  const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  const row = (r: repo.SlaStatRow) => ({
    id: r.id,
    name: r.name ?? r.id,
    assigned: Number(r.assigned),
    touched: Number(r.touched),
    avgHoursToFirstTouch: r.avg_hours === null ? null : Math.round(Number(r.avg_hours) * 100) / 100,
    medianHoursToFirstTouch: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 100) / 100,
    breaches: Number(r.breaches),
    openBreaches: Number(r.open_breaches),
  });
  const [reps, teams, breaches] = await Promise.all([
    repo.slaStats(ctx.db, workspaceId, 'rep', from, to),
    repo.slaStats(ctx.db, workspaceId, 'team', from, to),
    repo.breachList(ctx.db, workspaceId, from, to, 200),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    reps: reps.map(row),
    teams: teams.map(row),
    breaches: breaches.map((b) => ({
      assignmentId: b.id,
      contactId: b.contact_id,
      contactName: b.contact_name,
      userId: b.user_id,
      userName: b.user_name,
      teamId: b.team_id,
      slaDueAt: new Date(b.sla_due_at).toISOString(),
      breachedAt: new Date(b.breached_at).toISOString(),
      firstSalesTouchAt: b.first_sales_touch_at ? new Date(b.first_sales_touch_at).toISOString() : null,
    })),
  };
}
