import type { AppContext } from '../../http/context.ts';
import type { AnyJob } from '../../jobs/queue.ts';
import { compactFunnel } from './reports.funnel.repo.ts';

/**
 * Each minute: the funnel roll-up's deltas are folded into its daily rows. Writers only append
 * deltas (they never wait on each other for a day's row); this keeps what readers add up small.
 */
export function compactFunnelJob(ctx: AppContext): AnyJob {
  return {
    name: 'compactFunnel',
    cron: '* * * * *',
    retryLimit: 1,
    run: async () => {
      await compactFunnel(ctx.db);
    },
  };
}
