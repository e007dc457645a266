import { z } from 'zod';
import {
  calendarEntrySchema,
  calendarQuerySchema,
  campaignCreateSchema,
  campaignDetailSchema,
  campaignListQuerySchema,
  campaignMarketCreateSchema,
  campaignMarketSchema,
  campaignMarketUpdateSchema,
  campaignMemberSchema,
  campaignSchema,
  campaignSettingsSchema,
  campaignSettingsUpdateSchema,
  campaignTouchQuerySchema,
  campaignTouchSchema,
  campaignUpdateSchema,
  costLineCreateSchema,
  costLineSchema,
  costPerLeadSchema,
  memberAddResultSchema,
  memberAddSchema,
  memberListQuerySchema,
  memberUpdateSchema,
  periodQuerySchema,
} from '../../../contracts/campaigns.ts';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import * as costs from './campaigns.costs.ts';
import * as members from './campaigns.members.ts';
import { canManageCampaignSettings, canManageCampaigns, canReadCampaigns } from './campaigns.policy.ts';
import * as service from './campaigns.service.ts';
import * as settings from './campaigns.settings.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const subParams = z.strictObject({ id: z.string().max(64), subId: z.string().max(64) });
const tags = ['campaigns'];
const bad = { 400: errorBodySchema, 404: errorBodySchema };

export function registerCampaignsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/campaigns',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Campaigns, newest first',
        querystring: campaignListQuerySchema,
        response: { 200: pageOf(campaignSchema) },
      },
    },
    async (req) => service.listCampaigns(ctx, requireActor(req), req.query),
  );
  app.post(
    '/api/campaigns',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Create a campaign',
        body: campaignCreateSchema,
        response: { 201: campaignSchema, ...bad },
      },
    },
    async (req, reply) => {
      const dto = await service.createCampaign(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.get(
    '/api/campaigns/:id',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'A campaign with its parent, nested campaigns, markets and rolled-up results',
        params: idParams,
        response: { 200: campaignDetailSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.getCampaignDetail(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    '/api/campaigns/:id',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Change a campaign',
        params: idParams,
        body: campaignUpdateSchema,
        response: { 200: campaignSchema, ...bad },
      },
    },
    async (req) => service.updateCampaign(ctx, requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/campaigns/:id',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Delete a campaign (none nested under it)',
        params: idParams,
        response: { 204: z.null(), ...bad },
      },
    },
    async (req, reply) => {
      await service.deleteCampaign(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );
  app.get(
    '/api/campaigns/:id/cost-per-lead',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Cost per lead of the campaign and its nested campaigns for a period (dates inclusive)',
        params: idParams,
        querystring: periodQuerySchema,
        response: { 200: costPerLeadSchema, ...bad },
      },
    },
    async (req) => service.costPerLead(ctx, requireActor(req), req.params.id, req.query),
  );
  app.get(
    '/api/campaigns/:id/touches',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Touches logged for the campaign, newest first (contacts the caller may see)',
        params: idParams,
        querystring: campaignTouchQuerySchema,
        response: { 200: pageOf(campaignTouchSchema), ...bad },
      },
    },
    async (req) => service.campaignTouches(ctx, requireActor(req), req.params.id, req.query),
  );

  // ---- cost lines ----
  app.get(
    '/api/campaigns/:id/cost-lines',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Dated cost lines of a campaign',
        params: idParams,
        response: { 200: z.array(costLineSchema), 404: errorBodySchema },
      },
    },
    async (req) => costs.listCostLines(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/campaigns/:id/cost-lines',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Add a dated cost line',
        params: idParams,
        body: costLineCreateSchema,
        response: { 201: costLineSchema, ...bad },
      },
    },
    async (req, reply) => {
      const dto = await costs.addCostLine(ctx, requireActor(req), req.params.id, req.body);
      reply.status(201);
      return dto;
    },
  );
  app.delete(
    '/api/campaigns/:id/cost-lines/:subId',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Remove a cost line',
        params: subParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await costs.removeCostLine(ctx, requireActor(req), req.params.id, req.params.subId);
      reply.status(204);
      return null;
    },
  );

  // ---- market variants ----
  app.get(
    '/api/campaigns/:id/markets',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Per-market variants',
        params: idParams,
        response: { 200: z.array(campaignMarketSchema), 404: errorBodySchema },
      },
    },
    async (req) => costs.listMarkets(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/campaigns/:id/markets',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Add a per-market variant (language, content links, own cost lines)',
        params: idParams,
        body: campaignMarketCreateSchema,
        response: { 201: campaignMarketSchema, 409: errorBodySchema, ...bad },
      },
    },
    async (req, reply) => {
      const dto = await costs.addMarket(ctx, requireActor(req), req.params.id, req.body);
      reply.status(201);
      return dto;
    },
  );
  app.patch(
    '/api/campaigns/:id/markets/:subId',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Change a market variant',
        params: subParams,
        body: campaignMarketUpdateSchema,
        response: { 200: campaignMarketSchema, 409: errorBodySchema, ...bad },
      },
    },
    async (req) => costs.updateMarket(ctx, requireActor(req), req.params.id, req.params.subId, req.body),
  );
  app.delete(
    '/api/campaigns/:id/markets/:subId',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Remove an unused market variant',
        params: subParams,
        response: { 204: z.null(), 409: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await costs.removeMarket(ctx, requireActor(req), req.params.id, req.params.subId);
      reply.status(204);
      return null;
    },
  );

  // ---- members ----
  app.get(
    '/api/campaigns/:id/members',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Members with their contacts (those the caller may see), in the order they joined',
        params: idParams,
        querystring: memberListQuerySchema,
        response: { 200: pageOf(campaignMemberSchema), ...bad },
      },
    },
    async (req) => members.listMembers(ctx, requireActor(req), req.params.id, req.query),
  );
  app.post(
    '/api/campaigns/:id/members',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Add contacts (by ids or from a segment); idempotent, never downgrades a status',
        params: idParams,
        body: memberAddSchema,
        response: { 200: memberAddResultSchema, ...bad },
      },
    },
    async (req) => service.addMembers(ctx, requireActor(req), req.params.id, req.body),
  );
  app.patch(
    '/api/campaigns/:id/members/:subId',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: "Change a member's status (logs a touch where it is a contact with the prospect)",
        params: subParams,
        body: memberUpdateSchema,
        response: { 200: campaignMemberSchema, ...bad },
      },
    },
    async (req) =>
      members.setMemberStatus(ctx, requireActor(req), req.params.id, req.params.subId, req.body.status),
  );
  app.delete(
    '/api/campaigns/:id/members/:subId',
    {
      config: { policy: canManageCampaigns },
      schema: {
        tags,
        summary: 'Take a contact out of the campaign',
        params: subParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await members.removeMember(ctx, requireActor(req), req.params.id, req.params.subId);
      reply.status(204);
      return null;
    },
  );

  // ---- calendar and settings ----
  app.get(
    '/api/campaign-calendar',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: 'Campaigns overlapping a date range (month or quarter), filterable by market and channel',
        querystring: calendarQuerySchema,
        response: { 200: z.object({ items: z.array(calendarEntrySchema) }), 400: errorBodySchema },
      },
    },
    async (req) => ({ items: await service.campaignCalendar(ctx, requireActor(req), req.query) }),
  );
  app.get(
    '/api/campaign-settings',
    {
      config: { policy: canReadCampaigns },
      schema: {
        tags,
        summary: "The workspace's campaign settings",
        response: { 200: campaignSettingsSchema },
      },
    },
    async (req) => settings.getCampaignSettings(ctx, requireActor(req).workspaceId),
  );
  app.put(
    '/api/campaign-settings',
    {
      config: { policy: canManageCampaignSettings },
      schema: {
        tags,
        summary: 'Change how many days before a launch sales are told (default 7)',
        body: campaignSettingsUpdateSchema,
        response: { 200: campaignSettingsSchema, 400: errorBodySchema },
      },
    },
    async (req) => settings.updateCampaignSettings(ctx, requireActor(req), req.body),
  );
}
