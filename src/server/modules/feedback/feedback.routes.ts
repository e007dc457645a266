import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  competitorCreateSchema,
  competitorSchema,
  competitorUpdateSchema,
  feedbackCreateSchema,
  feedbackListQuerySchema,
  feedbackSchema,
} from '../../../contracts/feedback.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canCaptureFeedback, canManageCompetitors, canReadFeedback } from './feedback.policy.ts';
import * as service from './feedback.service.ts';

const tags = ['feedback'];
const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export function registerFeedbackRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/feedback',
    {
      config: { policy: canReadFeedback },
      schema: {
        tags,
        summary: 'Feedback items, newest first: filter by type, product, competitor, period',
        querystring: feedbackListQuerySchema,
        response: { 200: pageOf(feedbackSchema), 400: errorBodySchema },
      },
    },
    async (req) => service.listFeedback(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/feedback',
    {
      config: { policy: canCaptureFeedback },
      schema: {
        tags,
        summary: 'Record what a customer said, on a contact or a deal',
        body: feedbackCreateSchema,
        response: { 201: feedbackSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await service.createFeedback(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/competitors',
    {
      config: { policy: canReadFeedback },
      schema: { tags, summary: 'The competitor registry', response: { 200: z.array(competitorSchema) } },
    },
    async (req) => service.listCompetitors(ctx, requireActor(req)),
  );

  app.post(
    '/api/competitors',
    {
      config: { policy: canManageCompetitors },
      schema: { tags, body: competitorCreateSchema, response: { 201: competitorSchema, ...errors } },
    },
    async (req, reply) => {
      const dto = await service.createCompetitor(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.patch(
    '/api/competitors/:id',
    {
      config: { policy: canManageCompetitors },
      schema: {
        tags,
        params: z.strictObject({ id: z.string().max(64) }),
        body: competitorUpdateSchema,
        response: { 200: competitorSchema, ...errors },
      },
    },
    async (req) => service.updateCompetitor(ctx, requireActor(req), req.params.id, req.body),
  );
}
