import type { AppContext } from '../../http/context.ts';
import type { AnyJob } from '../../jobs/queue.ts';
import { expireQuotes } from './quotes.workflow.ts';

/** Daily: sent quotes past their validity date become `expired` (audited by the system). */
export function expireQuotesJob(ctx: AppContext): AnyJob {
  return {
    name: 'expireQuotes',
    cron: '7 0 * * *',
    retryLimit: 3,
    run: async () => {
      await expireQuotes(ctx);
    },
  };
}
