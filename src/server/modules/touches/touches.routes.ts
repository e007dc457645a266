import { z } from 'zod';
import { pageOf } from '../../../contracts/common.ts';
import {
  timelineItemSchema,
  timelineQuerySchema,
  touchBatchResultSchema,
  touchBatchSchema,
  touchInputSchema,
  touchResultSchema,
} from '../../../contracts/touches.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { getCompany } from '../companies/companies.service.ts';
import { getContact } from '../contacts/contacts.service.ts';
import { canReadRecords, canWriteRecords } from '../workspaces/workspaces.policy.ts';
import { getTouches, logTouches, recordTimeline } from './touches.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });

export function registerTouchesRoutes(app: ZApp, ctx: AppContext): void {
  app.post(
    '/api/touches',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags: ['touches'],
        summary: 'Log one touch (idempotent with idempotencyKey: a repeat returns the original, 200)',
        body: touchInputSchema,
        response: { 200: touchResultSchema, 201: touchResultSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const [logged] = await logTouches(ctx, actor, [req.body], '');
      const [touch] = await getTouches(ctx, actor.workspaceId, [logged!.id]);
      if (!touch) throw new NotFoundError('Touch', logged!.id);
      reply.status(logged!.duplicate ? 200 : 201);
      return { touch, duplicate: logged!.duplicate };
    },
  );

  app.post(
    '/api/touches/batch',
    {
      config: { policy: canWriteRecords },
      // A full batch of 1,000 touches with metadata is well over the 1 MB default.
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['touches'],
        summary: 'Log up to 1,000 touches in one transaction; any invalid item rejects the batch',
        body: touchBatchSchema,
        response: { 200: touchBatchResultSchema },
      },
    },
    async (req) => {
      const items = await logTouches(ctx, requireActor(req), req.body.touches);
      const duplicates = items.filter((i) => i.duplicate).length;
      return { items, created: items.length - duplicates, duplicates };
    },
  );

  app.get(
    '/api/contacts/:id/timeline',
    {
      config: { policy: canReadRecords },
      schema: {
        tags: ['touches'],
        summary: "A contact's touches and record changes, newest first",
        params: idParams,
        querystring: timelineQuerySchema,
        response: { 200: pageOf(timelineItemSchema) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await getContact(ctx, actor, req.params.id); // 404 unless visible to the actor
      return recordTimeline(ctx, actor.workspaceId, { kind: 'contact', id: req.params.id }, req.query);
    },
  );

  app.get(
    '/api/companies/:id/timeline',
    {
      config: { policy: canReadRecords },
      schema: {
        tags: ['touches'],
        summary: "A company's touches (of all its contacts) and record changes, newest first",
        params: idParams,
        querystring: timelineQuerySchema,
        response: { 200: pageOf(timelineItemSchema) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await getCompany(ctx, actor, req.params.id);
      return recordTimeline(ctx, actor.workspaceId, { kind: 'company', id: req.params.id }, req.query);
    },
  );
}
