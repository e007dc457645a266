import type { AppContext } from '../../http/context.ts';
import type { AnyJob } from '../../jobs/queue.ts';
import { routeMqls } from './lifecycle.service.ts';
import { runPendingPlaybooks, sendDueReminders, sweepSla } from './lifecycle.sla.ts';

/**
 * Lifecycle's recurring jobs, each bounded per run (a backlog drains over a few runs instead of one
 * long transaction): the SLA clock, task reminders, and playbooks for leads whose temperature moved.
 */
export function lifecycleJobs(ctx: AppContext): AnyJob[] {
  return [
    {
      // Leads a recompute made MQLs in bulk (lifecycle.service.ts promoteToMql).
      name: 'routeNewMqls',
      retryLimit: 5,
      retryDelay: 10,
      run: async (d: { workspaceId: string; contactIds: string[] }) => {
        await routeMqls(ctx, d);
      },
    },
    {
      name: 'sweepLeadSla',
      cron: '* * * * *',
      retryLimit: 2,
      run: async () => {
        await sweepSla(ctx);
      },
    },
    {
      name: 'sendTaskReminders',
      cron: '* * * * *',
      retryLimit: 2,
      run: async () => {
        await sendDueReminders(ctx);
      },
    },
    {
      name: 'runLeadPlaybooks',
      cron: '* * * * *',
      retryLimit: 2,
      run: async () => {
        await runPendingPlaybooks(ctx);
      },
    },
  ];
}
