import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  activityInputSchema,
  boardQuerySchema,
  boardSchema,
  currencySchema,
  dateOnlySchema,
  dealCreateSchema,
  dealListQuerySchema,
  dealMoveSchema,
  dealSchema,
  dealSettingsSchema,
  dealSettingsUpdateSchema,
  dealTimelineItemSchema,
  dealTimelineQuerySchema,
  dealUpdateSchema,
  exchangeRateImportResultSchema,
  exchangeRateImportSchema,
  exchangeRateInputSchema,
  exchangeRateListQuerySchema,
  exchangeRateSchema,
  pipelineCreateSchema,
  pipelineSchema,
  stageCreateSchema,
  stageUpdateSchema,
} from '../../../contracts/deals.ts';
import { touchSchema } from '../../../contracts/touches.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { dealTimeline, getBoard, logDealActivity } from './deals.board.ts';
import * as currency from './deals.currency.ts';
import * as pipelines from './deals.pipelines.ts';
import {
  canManageDealSettings,
  canManageExchangeRates,
  canManagePipelines,
  canReadDeals,
  canWriteDeals,
} from './deals.policy.ts';
import * as service from './deals.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const tags = ['deals'];
const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export function registerDealsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/pipelines',
    {
      config: { policy: canReadDeals },
      schema: {
        tags,
        summary: 'Pipelines with their stages (the default one is created on first use)',
        response: { 200: z.array(pipelineSchema) },
      },
    },
    async (req) => pipelines.listPipelines(ctx, requireActor(req)),
  );

  app.post(
    '/api/pipelines',
    {
      config: { policy: canManagePipelines },
      schema: {
        tags,
        summary: 'Add a pipeline (its open stages; won and lost are added)',
        body: pipelineCreateSchema,
        response: { 201: pipelineSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await pipelines.createPipeline(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.post(
    '/api/pipelines/:id/stages',
    {
      config: { policy: canManagePipelines },
      schema: {
        tags,
        summary: 'Add an open stage to a pipeline',
        params: idParams,
        body: stageCreateSchema,
        response: { 201: pipelineSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await pipelines.addStage(ctx, requireActor(req), req.params.id, req.body);
      reply.status(201);
      return dto;
    },
  );

  app.patch(
    '/api/pipelines/:id/stages/:stageId',
    {
      config: { policy: canManagePipelines },
      schema: {
        tags,
        summary: 'Rename a stage or change its probability',
        params: z.strictObject({ id: z.string().max(64), stageId: z.string().max(64) }),
        body: stageUpdateSchema,
        response: { 200: pipelineSchema, ...errors },
      },
    },
    async (req) => pipelines.updateStage(ctx, requireActor(req), req.params.id, req.params.stageId, req.body),
  );

  app.get(
    '/api/deal-settings',
    { config: { policy: canReadDeals }, schema: { tags, response: { 200: dealSettingsSchema } } },
    async (req) => pipelines.getDealSettings(ctx, requireActor(req)),
  );

  app.patch(
    '/api/deal-settings',
    {
      config: { policy: canManageDealSettings },
      schema: {
        tags,
        summary: 'Whether a won deal needs an amount; the lost reasons',
        body: dealSettingsUpdateSchema,
        response: { 200: dealSettingsSchema, ...errors },
      },
    },
    async (req) => pipelines.updateDealSettings(ctx, requireActor(req), req.body),
  );

  app.get(
    '/api/deals',
    {
      config: { policy: canReadDeals },
      schema: {
        tags,
        summary: 'Deals the caller may see, newest first, with filters',
        querystring: dealListQuerySchema,
        response: { 200: pageOf(dealSchema), 400: errorBodySchema },
      },
    },
    async (req) => service.listDeals(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/deals/board',
    {
      config: { policy: canReadDeals },
      schema: {
        tags,
        summary: 'A pipeline as columns with sums in the reporting currency',
        querystring: boardQuerySchema,
        response: { 200: boardSchema, ...errors },
      },
    },
    async (req) => getBoard(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/deals',
    {
      config: { policy: canWriteDeals },
      schema: {
        tags,
        summary: 'Create a deal',
        body: dealCreateSchema,
        response: { 201: dealSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await service.createDeal(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/deals/:id',
    {
      config: { policy: canReadDeals },
      schema: { tags, params: idParams, response: { 200: dealSchema, 404: errorBodySchema } },
    },
    async (req) => service.getDeal(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/deals/:id',
    {
      config: { policy: canWriteDeals },
      schema: {
        tags,
        summary: 'Change some fields of a deal (stages move via /move)',
        params: idParams,
        body: dealUpdateSchema,
        response: { 200: dealSchema, ...errors },
      },
    },
    async (req) => service.updateDeal(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/deals/:id/move',
    {
      config: { policy: canWriteDeals },
      schema: {
        tags,
        summary: 'Move a deal to a stage of its pipeline (lost needs lostReason, reopening needs reason)',
        params: idParams,
        body: dealMoveSchema,
        response: { 200: dealSchema, ...errors },
      },
    },
    async (req) => service.moveDeal(ctx, requireActor(req), req.params.id, req.body),
  );

  app.delete(
    '/api/deals/:id',
    {
      config: { policy: canWriteDeals },
      schema: {
        tags,
        summary: 'Delete a deal (soft)',
        params: idParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await service.deleteDeal(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/deals/:id/timeline',
    {
      config: { policy: canReadDeals },
      schema: {
        tags,
        summary: "The touches of the deal's contacts and its stage changes, newest first",
        params: idParams,
        querystring: dealTimelineQuerySchema,
        response: { 200: z.object({ items: z.array(dealTimelineItemSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await dealTimeline(ctx, requireActor(req), req.params.id, req.query) }),
  );

  app.post(
    '/api/deals/:id/activities',
    {
      config: { policy: canWriteDeals },
      schema: {
        tags,
        summary: 'Log a call, meeting or note with its outcome (a sales touch on a contact of the deal)',
        params: idParams,
        body: activityInputSchema,
        response: { 201: touchSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await logDealActivity(ctx, requireActor(req), req.params.id, req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/exchange-rates',
    {
      config: { policy: canReadDeals },
      schema: {
        tags,
        summary: 'Stored exchange rates, latest first',
        querystring: exchangeRateListQuerySchema,
        response: { 200: z.array(exchangeRateSchema) },
      },
    },
    async (req) => currency.listExchangeRates(ctx, requireActor(req), req.query),
  );

  app.put(
    '/api/exchange-rates',
    {
      config: { policy: canManageExchangeRates },
      schema: {
        tags,
        summary: 'Set the rate of a currency pair for a day (1 base = rate quote)',
        body: exchangeRateInputSchema,
        response: { 200: exchangeRateSchema, ...errors },
      },
    },
    async (req) => currency.setExchangeRate(ctx, requireActor(req), req.body),
  );

  app.post(
    '/api/exchange-rates/import',
    {
      config: { policy: canManageExchangeRates },
      schema: {
        tags,
        summary: 'Import rates from CSV (base,quote,date,rate); any bad row rejects the file',
        body: exchangeRateImportSchema,
        response: { 200: exchangeRateImportResultSchema, ...errors },
      },
    },
    async (req) => currency.importExchangeRates(ctx, requireActor(req), req.body.csv),
  );

  app.delete(
    '/api/exchange-rates/:base/:quote/:onDate',
    {
      config: { policy: canManageExchangeRates },
      schema: {
        tags,
        params: z.strictObject({ base: currencySchema, quote: currencySchema, onDate: dateOnlySchema }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      if (!(await currency.deleteExchangeRate(ctx, requireActor(req), req.params))) {
        throw new NotFoundError(
          'Exchange rate',
          `${req.params.base}/${req.params.quote}/${req.params.onDate}`,
        );
      }
      reply.status(204);
      return null;
    },
  );
}
