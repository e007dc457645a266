import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  absenceSchema,
  contactLifecycleSchema,
  inboxItemSchema,
  inboxQuerySchema,
  lifecycleSettingsPatchSchema,
  lifecycleSettingsSchema,
  myDaySchema,
  overflowItemSchema,
  playbookCreateSchema,
  playbookSchema,
  playbookUpdateSchema,
  reassignSchema,
  repSchema,
  repSettingsSchema,
  routingRuleCreateSchema,
  routingRuleOrderSchema,
  routingRuleSchema,
  routingRuleUpdateSchema,
  slaReportQuerySchema,
  slaReportSchema,
  stageChangeSchema,
  stageReasonSchema,
  taskCreateSchema,
  taskListQuerySchema,
  taskSchema,
  taskUpdateSchema,
  teamRoutingSchema,
} from '../../../contracts/lifecycle.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import * as leads from './lifecycle.leads.ts';
import * as playbooks from './lifecycle.playbooks.ts';
import {
  canManagePlaybooks,
  canManageRouting,
  canMarkAbsence,
  canReadLifecycle,
  canReadOverflowQueue,
  canReadSlaReport,
  canReassignLeads,
  canWorkLeads,
} from './lifecycle.policy.ts';
import * as admin from './lifecycle.routing.admin.ts';
import { getSettings, updateSettings } from './lifecycle.settings.ts';
import { slaReport } from './lifecycle.sla.ts';
import * as tasks from './lifecycle.tasks.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const tags = ['lifecycle'];

export function registerLifecycleRoutes(app: ZApp, ctx: AppContext): void {
  registerLeadRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
}

function registerLeadRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/contacts/:id/lifecycle',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: "A contact's stage, stage history, owner, SLA and next best action",
        params: idParams,
        response: { 200: contactLifecycleSchema, 404: errorBodySchema },
      },
    },
    async (req) => leads.contactLifecycle(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/contacts/:id/stage',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags,
        summary: 'Move a contact to a stage (a move back or a side exit needs a reason)',
        params: idParams,
        body: stageChangeSchema,
        response: { 200: contactLifecycleSchema, ...errors },
      },
    },
    async (req) => leads.moveStage(ctx, requireActor(req), req.params.id, req.body.to, req.body.reason),
  );

  app.post(
    '/api/contacts/:id/accept',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags,
        summary: 'Accept a lead: it becomes a sales-qualified lead (sql)',
        params: idParams,
        response: { 200: contactLifecycleSchema, ...errors },
      },
    },
    async (req) => leads.acceptLead(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/contacts/:id/disqualify',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags,
        summary: "Disqualify a contact with a reason from the workspace's list",
        params: idParams,
        body: stageReasonSchema,
        response: { 200: contactLifecycleSchema, ...errors },
      },
    },
    async (req) => leads.moveStage(ctx, requireActor(req), req.params.id, 'disqualified', req.body.reason),
  );

  app.post(
    '/api/contacts/:id/recycle',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags,
        summary: 'Send a contact back to marketing nurture, with a reason',
        params: idParams,
        body: stageReasonSchema,
        response: { 200: contactLifecycleSchema, ...errors },
      },
    },
    async (req) => leads.moveStage(ctx, requireActor(req), req.params.id, 'recycled', req.body.reason),
  );

  app.post(
    '/api/contacts/:id/assign',
    {
      config: { policy: canReassignLeads },
      schema: {
        tags,
        summary: 'Hand a lead to another person (a new SLA clock starts; audit-logged)',
        params: idParams,
        body: reassignSchema,
        response: { 200: contactLifecycleSchema, ...errors },
      },
    },
    async (req) => leads.reassign(ctx, requireActor(req), req.params.id, req.body.userId, req.body.reason),
  );

  app.get(
    '/api/lifecycle/inbox',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: 'My leads: open leads, hot first, then by SLA time left, with the next best action',
        querystring: inboxQuerySchema,
        response: { 200: z.object({ items: z.array(inboxItemSchema) }), 403: errorBodySchema },
      },
    },
    async (req) => ({ items: await leads.inbox(ctx, requireActor(req), req.query) }),
  );

  app.get(
    '/api/lifecycle/sla-report',
    {
      config: { policy: canReadSlaReport },
      schema: {
        tags,
        summary: 'Time to first sales touch per rep and team, and SLA breaches',
        querystring: slaReportQuerySchema,
        response: { 200: slaReportSchema },
      },
    },
    async (req) => slaReport(ctx, requireActor(req).workspaceId, req.query),
  );
}

function registerTaskRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/tasks',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags: ['tasks'],
        summary: "Tasks: one's own, or a contact's or deal's",
        querystring: taskListQuerySchema,
        response: { 200: z.object({ items: z.array(taskSchema) }), 403: errorBodySchema },
      },
    },
    async (req) => ({ items: await tasks.listTasks(ctx, requireActor(req), req.query) }),
  );

  app.get(
    '/api/tasks/my-day',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags: ['tasks'],
        summary: "My day: open tasks overdue, due today (in the user's time zone), upcoming, undated",
        querystring: z.strictObject({ userId: z.string().max(64).optional() }),
        response: { 200: myDaySchema, 403: errorBodySchema },
      },
    },
    async (req) => tasks.myDay(ctx, requireActor(req), req.query.userId),
  );

  app.post(
    '/api/tasks',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags: ['tasks'],
        summary: 'Create a task (for oneself, or for others as a manager)',
        body: taskCreateSchema,
        response: { 201: taskSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await tasks.createTaskFor(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.patch(
    '/api/tasks/:id',
    {
      config: { policy: canWorkLeads },
      schema: {
        tags: ['tasks'],
        summary: 'Change an open task: type, title, notes, due date, reminder, owner',
        params: idParams,
        body: taskUpdateSchema,
        response: { 200: taskSchema, ...errors },
      },
    },
    async (req) => tasks.updateTask(ctx, requireActor(req), req.params.id, req.body),
  );

  for (const [path, status] of [
    ['complete', 'done'],
    ['cancel', 'cancelled'],
  ] as const) {
    app.post(
      `/api/tasks/:id/${path}`,
      {
        config: { policy: canWorkLeads },
        schema: {
          tags: ['tasks'],
          summary: status === 'done' ? 'Mark a task done' : 'Cancel a task',
          params: idParams,
          response: { 200: taskSchema, 409: errorBodySchema, ...errors },
        },
      },
      async (req) => tasks.finishTask(ctx, requireActor(req), req.params.id, status),
    );
  }
}

function registerAdminRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/lifecycle/settings',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: 'Lifecycle settings (SLA, recycling, cadence, capacity, reasons)',
        response: { 200: lifecycleSettingsSchema },
      },
    },
    async (req) => getSettings(ctx.db, requireActor(req).workspaceId),
  );
  app.patch(
    '/api/lifecycle/settings',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: 'Change lifecycle settings',
        body: lifecycleSettingsPatchSchema,
        response: { 200: lifecycleSettingsSchema, ...errors },
      },
    },
    async (req) => updateSettings(ctx, requireActor(req), req.body as never),
  );

  app.get(
    '/api/lifecycle/routing-rules',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: 'Routing rules, first match wins',
        response: { 200: z.object({ items: z.array(routingRuleSchema) }) },
      },
    },
    async (req) => ({ items: await admin.listRules(ctx, requireActor(req)) }),
  );
  app.post(
    '/api/lifecycle/routing-rules',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: 'Add a routing rule',
        body: routingRuleCreateSchema,
        response: { 201: routingRuleSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await admin.createRule(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.put(
    '/api/lifecycle/routing-rules/order',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: 'Reorder the routing rules (the whole list of ids, first match first)',
        body: routingRuleOrderSchema,
        response: { 200: z.object({ items: z.array(routingRuleSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await admin.reorderRules(ctx, requireActor(req), req.body.ids) }),
  );
  app.patch(
    '/api/lifecycle/routing-rules/:id',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: 'Change a routing rule',
        params: idParams,
        body: routingRuleUpdateSchema,
        response: { 200: routingRuleSchema, ...errors },
      },
    },
    async (req) => admin.updateRule(ctx, requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/lifecycle/routing-rules/:id',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: 'Delete a routing rule',
        params: idParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await admin.deleteRule(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/lifecycle/teams',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: "Each team's manager (overflow queue and SLA breach notices)",
        response: {
          200: z.object({
            items: z.array(z.object({ teamId: z.string(), managerId: z.string().nullable() })),
          }),
        },
      },
    },
    async (req) => ({ items: await admin.teamManagers(ctx, requireActor(req)) }),
  );
  app.put(
    '/api/lifecycle/teams/:id',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: "Set a team's manager",
        params: idParams,
        body: teamRoutingSchema,
        response: { 200: z.object({ teamId: z.string(), managerId: z.string().nullable() }), ...errors },
      },
    },
    async (req) => admin.setTeamManager(ctx, requireActor(req), req.params.id, req.body.managerId),
  );

  app.get(
    '/api/lifecycle/overflow',
    {
      config: { policy: canReadOverflowQueue },
      schema: {
        tags,
        summary: "Leads waiting in the team managers' overflow queues, oldest first",
        response: { 200: z.object({ items: z.array(overflowItemSchema) }), 403: errorBodySchema },
      },
    },
    async (req) => ({ items: await admin.overflowQueue(ctx, requireActor(req)) }),
  );

  app.get(
    '/api/lifecycle/reps',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: 'Sales people with weight, capacity, absence and this month’s leads',
        response: { 200: z.object({ items: z.array(repSchema) }) },
      },
    },
    async (req) => ({ items: await admin.listReps(ctx, requireActor(req)) }),
  );
  app.put(
    '/api/lifecycle/reps/:id',
    {
      config: { policy: canManageRouting },
      schema: {
        tags,
        summary: "Set a rep's routing weight, monthly capacity and whether they are in the round-robin",
        params: idParams,
        body: repSettingsSchema,
        response: { 200: repSchema, ...errors },
      },
    },
    async (req) => admin.setRepSettings(ctx, requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/lifecycle/reps/:id/absence',
    {
      config: { policy: canMarkAbsence },
      schema: {
        tags,
        summary: 'Mark an absence (awayUntil null clears it); routing skips absent reps',
        params: idParams,
        body: absenceSchema,
        response: { 200: repSchema.nullable(), ...errors },
      },
    },
    async (req) => admin.setAbsence(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/lifecycle/playbooks',
    {
      config: { policy: canReadLifecycle },
      schema: {
        tags,
        summary: 'Playbooks: the shipped defaults and the workspace’s own',
        response: { 200: z.object({ items: z.array(playbookSchema) }) },
      },
    },
    async (req) => ({ items: await playbooks.listPlaybooks(ctx, requireActor(req).workspaceId) }),
  );
  app.post(
    '/api/lifecycle/playbooks',
    {
      config: { policy: canManagePlaybooks },
      schema: {
        tags,
        summary: 'Add a playbook for a temperature, optionally for a market or segment',
        body: playbookCreateSchema,
        response: { 201: playbookSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await playbooks.createPlaybook(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.patch(
    '/api/lifecycle/playbooks/:id',
    {
      config: { policy: canManagePlaybooks },
      schema: {
        tags,
        summary: 'Change a playbook',
        params: idParams,
        body: playbookUpdateSchema,
        response: { 200: playbookSchema, ...errors },
      },
    },
    async (req) => playbooks.updatePlaybook(ctx, requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/lifecycle/playbooks/:id',
    {
      config: { policy: canManagePlaybooks },
      schema: {
        tags,
        summary: 'Delete a playbook (the default for its temperature applies again)',
        params: idParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await playbooks.deletePlaybook(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );
}
