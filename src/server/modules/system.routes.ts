import { z } from 'zod';
import type { ZApp } from '../http/app.ts';
import type { AppContext } from '../http/context.ts';
import { publicAccess } from './workspaces/workspaces.policy.ts';

export const healthSchema = z.object({
  status: z.literal('ok'),
  engine: z.enum(['pglite', 'postgres']),
  schemaVersion: z.number().int(),
});

export function registerSystemRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/health',
    {
      config: { policy: publicAccess },
      schema: {
        tags: ['system'],
        summary: 'Liveness, engine and schema version',
        response: { 200: healthSchema },
      },
    },
    async () => {
      await ctx.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { status: 'ok' as const, engine: ctx.dbh.engine, schemaVersion: ctx.schemaVersion };
    },
  );
}
