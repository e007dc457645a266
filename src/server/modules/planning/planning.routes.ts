import { errorBodySchema } from '../../../contracts/common.ts';
import {
  backwardsInputSchema,
  backwardsPlanSchema,
  forwardsInputSchema,
  forwardsPlanSchema,
  plannerRatesSchema,
} from '../../../contracts/planning.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canUsePlanner } from './planning.policy.ts';
import * as planner from './planning.service.ts';

const tags = ['planning'];
const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export function registerPlanningRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/planning/rates',
    {
      config: { policy: canUsePlanner },
      schema: {
        tags,
        summary: 'The rates the planner works with (measured over the last 12 months, or defaults)',
        response: { 200: plannerRatesSchema, ...errors },
      },
    },
    async (req) => planner.getRates(ctx, requireActor(req)),
  );

  app.post(
    '/api/planning/backwards',
    {
      config: { policy: canUsePlanner },
      schema: {
        tags,
        summary: 'From a revenue target back to orders, quotes, leads per channel, budget and reps',
        body: backwardsInputSchema,
        response: { 200: backwardsPlanSchema, ...errors },
      },
    },
    async (req) => planner.planBackwards(ctx, requireActor(req), req.body),
  );

  app.post(
    '/api/planning/forwards',
    {
      config: { policy: canUsePlanner },
      schema: {
        tags,
        summary: 'From a monthly budget (or reinvesting a share of revenue) forward, month by month',
        body: forwardsInputSchema,
        response: { 200: forwardsPlanSchema, ...errors },
      },
    },
    async (req) => planner.planForwards(ctx, requireActor(req), req.body),
  );
}
