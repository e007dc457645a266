import type { AppContext } from '../http/context.ts';
import { notifySalesOfLaunchesJob } from '../modules/campaigns/campaigns.jobs.ts';
import { runImportJob } from '../modules/capture/capture.jobs.ts';
import { lifecycleJobs } from '../modules/lifecycle/lifecycle.jobs.ts';
import { expireQuotesJob } from '../modules/quotes/quotes.jobs.ts';
import { compactFunnelJob } from '../modules/reports/reports.jobs.ts';
import { applyScoreDecayJob, recomputeScoresJob } from '../modules/scoring/scoring.jobs.ts';
import { deleteExpiredSessions } from '../modules/workspaces/workspaces.repo.ts';
import type { AnyJob } from './queue.ts';

/**
 * The one list of every job the worker runs, recurring ones with their cron schedule.
 * Modules add their jobs here (defined in `<module>.jobs.ts`).
 */
export function allJobs(ctx: AppContext): AnyJob[] {
  return [
    {
      name: 'purgeExpiredSessions',
      cron: '17 3 * * *',
      retryLimit: 3,
      run: async () => {
        await deleteExpiredSessions(ctx.db, ctx.clock.now());
      },
    },
    runImportJob(ctx),
    recomputeScoresJob(ctx),
    applyScoreDecayJob(ctx),
    ...lifecycleJobs(ctx),
    notifySalesOfLaunchesJob(ctx),
    expireQuotesJob(ctx),
    compactFunnelJob(ctx),
  ];
}
