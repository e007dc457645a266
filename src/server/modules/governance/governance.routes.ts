import { pageOf } from '../../../contracts/common.ts';
import { auditEntrySchema, auditQuerySchema } from '../../../contracts/governance.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canReadAuditLog } from '../workspaces/workspaces.policy.ts';
import { listAuditLog } from './governance.service.ts';

export function registerGovernanceRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/audit-log',
    {
      config: { policy: canReadAuditLog },
      schema: {
        tags: ['governance'],
        summary: 'The append-only audit log, newest first',
        querystring: auditQuerySchema,
        response: { 200: pageOf(auditEntrySchema) },
      },
    },
    async (req) => listAuditLog(ctx, requireActor(req), req.query),
  );
}
