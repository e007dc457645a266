import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  recomputeDtoSchema,
  scoreExplanationSchema,
  scoringModelDtoSchema,
  scoringModelSchema,
} from '../../../contracts/scoring.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { getContact } from '../contacts/contacts.service.ts';
import { canReadRecords } from '../workspaces/workspaces.policy.ts';
import { canManageScoring, canReadScoring } from './scoring.policy.ts';
import * as service from './scoring.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const tags = ['scoring'];

export function registerScoringRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/scoring/model',
    {
      config: { policy: canReadScoring },
      schema: {
        tags,
        summary: "The workspace's scoring model (the shipped defaults until one is saved)",
        response: { 200: scoringModelDtoSchema },
      },
    },
    async (req) => service.toModelDto(await service.loadModel(ctx.db, requireActor(req).workspaceId)),
  );

  app.put(
    '/api/scoring/model',
    {
      config: { policy: canManageScoring },
      schema: {
        tags,
        summary: 'Replace the scoring model; starts a full recompute of every contact (a job with progress)',
        body: scoringModelSchema,
        response: {
          200: z.object({ model: scoringModelDtoSchema, recompute: recomputeDtoSchema }),
          400: errorBodySchema,
        },
      },
    },
    async (req) => service.saveScoringModel(ctx, requireActor(req), req.body),
  );

  app.get(
    '/api/scoring/recomputes/latest',
    {
      config: { policy: canReadScoring },
      schema: {
        tags,
        summary: 'Progress of the latest full recompute',
        response: { 200: z.object({ recompute: recomputeDtoSchema.nullable() }) },
      },
    },
    async (req) => ({ recompute: await service.latestRecompute(ctx, requireActor(req).workspaceId) }),
  );

  app.get(
    '/api/contacts/:id/score',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: "A contact's score explained: each rule that fired with its points, and the decay applied",
        params: idParams,
        response: { 200: scoreExplanationSchema, 404: errorBodySchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await getContact(ctx, actor, req.params.id); // 404 unless the actor may see it
      return service.explainScore(ctx, actor.workspaceId, req.params.id);
    },
  );
}
