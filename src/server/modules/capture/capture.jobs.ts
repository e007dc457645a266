import type { AppContext } from '../../http/context.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { runImport } from './capture.service.ts';

export interface RunImportData {
  workspaceId: string;
  importId: string;
}

/**
 * Runs an import in the worker. If the process dies mid-import, pg-boss hands the job out again
 * when it expires and runImport resumes after the last committed batch.
 */
export function runImportJob(ctx: AppContext): JobDefinition<RunImportData> {
  return {
    name: 'runImport',
    retryLimit: 5,
    retryDelay: 10,
    run: async (d) => {
      await runImport(ctx, d.workspaceId, d.importId);
    },
  };
}
