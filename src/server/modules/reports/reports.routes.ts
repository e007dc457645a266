import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  drillQuerySchema,
  drillResultSchema,
  reportNameSchema,
  reportQuerySchema,
  reportTableSchema,
} from '../../../contracts/reports.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canReadReports } from './reports.policy.ts';
import { drill, reportCsv, runReport } from './reports.service.ts';

const params = z.strictObject({ name: reportNameSchema });
const errors = { 400: errorBodySchema, 403: errorBodySchema };
const tags = ['reports'];

export function registerReportsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/reports/:name',
    {
      config: { policy: canReadReports },
      schema: {
        tags,
        summary:
          'A report (funnel, velocity, touches-to-close, attribution, sla) as a table, broken down by ?by=',
        params,
        querystring: reportQuerySchema,
        response: { 200: reportTableSchema, ...errors },
      },
    },
    async (req) => runReport(ctx, requireActor(req).workspaceId, req.params.name, req.query),
  );

  app.get(
    '/api/reports/:name/csv',
    {
      config: { policy: canReadReports },
      schema: { tags, summary: 'The same report as CSV', params, querystring: reportQuerySchema },
    },
    async (req, reply) => {
      const table = await runReport(ctx, requireActor(req).workspaceId, req.params.name, req.query);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${req.params.name}.csv"`);
      return reply.send(reportCsv(table));
    },
  );

  app.get(
    '/api/reports/:name/records',
    {
      config: { policy: canReadReports },
      schema: {
        tags,
        summary: 'The records behind one number: ?row={dimension values as JSON}&column=',
        params,
        querystring: drillQuerySchema,
        response: { 200: drillResultSchema, ...errors },
      },
    },
    async (req) => drill(ctx, requireActor(req).workspaceId, req.params.name, req.query),
  );
}
