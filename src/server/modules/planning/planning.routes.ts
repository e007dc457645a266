import { errorBodySchema } from '../../../contracts/common.ts';
import {
  attainmentQuerySchema,
  attainmentSchema,
  backwardsInputSchema,
  backwardsPlanSchema,
  dashboardQuerySchema,
  dashboardSchema,
  forwardsInputSchema,
  forwardsPlanSchema,
  planInputSchema,
  plannerRatesSchema,
  planQuerySchema,
  planSchema,
  quotaBoardSchema,
  quotaInputSchema,
  quotaParamsSchema,
  quotaSchema,
  teamQuotaParamsSchema,
  yearQuerySchema,
} from '../../../contracts/planning.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { dashboard } from './planning.dashboard.ts';
import * as plan from './planning.plan.ts';
import {
  canApproveQuotas,
  canEditPlan,
  canReadPlan,
  canReadQuotas,
  canSeeDashboard,
  canUsePlanner,
} from './planning.policy.ts';
import * as quotas from './planning.quotas.ts';
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

  app.get(
    '/api/planning/quotas',
    {
      config: { policy: canReadQuotas },
      schema: {
        tags,
        summary: 'Suggested and set quotas per rep and team for a year (a rep sees their own)',
        querystring: yearQuerySchema,
        response: { 200: quotaBoardSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return quotas.quotaBoard(ctx, actor, req.query.year ?? ctx.clock.now().getUTCFullYear());
    },
  );

  app.put(
    '/api/planning/quotas/:year/:userId',
    {
      config: { policy: canApproveQuotas },
      schema: {
        tags,
        summary: 'Set (and optionally approve) a rep’s quota for a year',
        params: quotaParamsSchema,
        body: quotaInputSchema,
        response: { 200: quotaSchema, ...errors },
      },
    },
    async (req) => quotas.setQuota(ctx, requireActor(req), req.params.year, req.params.userId, req.body),
  );

  app.put(
    '/api/planning/quotas/:year/teams/:teamId',
    {
      config: { policy: canApproveQuotas },
      schema: {
        tags,
        summary: 'Set (and optionally approve) a team’s own quota for a year',
        params: teamQuotaParamsSchema,
        body: quotaInputSchema,
        response: { 200: quotaSchema, ...errors },
      },
    },
    async (req) => quotas.setTeamQuota(ctx, requireActor(req), req.params.year, req.params.teamId, req.body),
  );

  app.get(
    '/api/planning/attainment',
    {
      config: { policy: canReadQuotas },
      schema: {
        tags,
        summary: 'Quota, won, pipeline and gap per rep for a year or quarter (a rep sees their own)',
        querystring: attainmentQuerySchema,
        response: { 200: attainmentSchema, ...errors },
      },
    },
    async (req) => quotas.attainment(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/planning/plan',
    {
      config: { policy: canReadPlan },
      schema: {
        tags,
        summary: 'The multi-year plan (default: five years from this one) against actuals',
        querystring: planQuerySchema,
        response: { 200: planSchema, ...errors },
      },
    },
    async (req) => plan.getPlan(ctx, requireActor(req), req.query),
  );

  app.put(
    '/api/planning/plan',
    {
      config: { policy: canEditPlan },
      schema: {
        tags,
        summary: 'Replace the plan’s targets for 3 to 5 years',
        body: planInputSchema,
        response: { 200: planSchema, ...errors },
      },
    },
    async (req) => plan.savePlan(ctx, requireActor(req), req.body),
  );

  app.get(
    '/api/planning/dashboard',
    {
      config: { policy: canSeeDashboard },
      schema: {
        tags,
        summary: 'The home screen for the caller’s role: the loop, channels, or the rep’s quota and pipeline',
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema, ...errors },
      },
    },
    async (req) => dashboard(ctx, requireActor(req), req.query.period),
  );
}
