import { z } from 'zod';
import type { ZApp } from '../http/app.ts';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { isAdmin } from '../modules/workspaces/workspaces.policy.ts';
import { listJobs } from './jobs.repo.ts';

export const jobStateSchema = z.enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']);

export const jobListQuerySchema = z.strictObject({
  state: jobStateSchema.optional(),
  name: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: jobStateSchema,
  retryCount: z.number().int(),
  retryLimit: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  nextAttemptAt: z.string(),
});
export type JobDto = z.infer<typeof jobSchema>;

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** The background-job admin view: failed jobs are never silent, they are listed here with their error. */
export function registerJobsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/jobs',
    {
      config: { policy: isAdmin },
      schema: {
        tags: ['system'],
        summary: 'Background jobs, newest first (filter by state, e.g. failed)',
        querystring: jobListQuerySchema,
        response: { 200: z.object({ items: z.array(jobSchema) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const rows = await listJobs(ctx.db, { workspaceId: actor.workspaceId, ...req.query });
      return {
        items: rows.map(
          (r): JobDto => ({
            id: r.id,
            name: r.name,
            state: r.state,
            retryCount: r.retry_count,
            retryLimit: r.retry_limit,
            error: r.error,
            createdAt: iso(r.created_on) ?? '',
            startedAt: iso(r.started_on),
            completedAt: iso(r.completed_on),
            nextAttemptAt: iso(r.start_after) ?? '',
          }),
        ),
      };
    },
  );
}
