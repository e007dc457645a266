import { Readable } from 'node:stream';
import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import { contactListQuerySchema, contactSchema } from '../../../contracts/contacts.ts';
import {
  segmentCountBodySchema,
  segmentCountSchema,
  segmentCreateSchema,
  segmentFieldListSchema,
  segmentListQuerySchema,
  segmentSchema,
  segmentSnapshotCreateSchema,
  segmentSnapshotSchema,
  segmentUpdateSchema,
} from '../../../contracts/segments.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canManageSegments, canReadSegments, canSnapshotSegments } from './segments.policy.ts';
import * as service from './segments.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const tags = ['segments'];
const bad = { 400: errorBodySchema, 404: errorBodySchema };

export function registerSegmentsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/segments',
    {
      config: { policy: canReadSegments },
      schema: {
        tags,
        summary: 'Saved segments by name',
        querystring: segmentListQuerySchema,
        response: { 200: pageOf(segmentSchema) },
      },
    },
    async (req) => service.listSegments(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/segments/fields',
    {
      config: { policy: canReadSegments },
      schema: {
        tags,
        summary: 'Fields a definition may name, with their type and operators (the builder field picker)',
        response: { 200: segmentFieldListSchema },
      },
    },
    async (req) => ({ items: await service.segmentFields(ctx, requireActor(req)) }),
  );

  app.post(
    '/api/segments/count',
    {
      config: { policy: canReadSegments },
      schema: {
        tags,
        summary:
          'Live count of an unsaved definition (contacts the caller may see); 400 naming a bad condition',
        body: segmentCountBodySchema,
        response: { 200: segmentCountSchema, 400: errorBodySchema },
      },
    },
    async (req) => ({ count: await service.countDefinition(ctx, requireActor(req), req.body.definition) }),
  );

  app.post(
    '/api/segments',
    {
      config: { policy: canManageSegments },
      schema: {
        tags,
        summary: 'Save a segment (400 naming a bad condition, or one that includes the segment itself)',
        body: segmentCreateSchema,
        response: { 201: segmentSchema, 400: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createSegment(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/segments/:id',
    {
      config: { policy: canReadSegments },
      schema: { tags, params: idParams, response: { 200: segmentSchema, 404: errorBodySchema } },
    },
    async (req) => service.getSegment(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/segments/:id',
    {
      config: { policy: canManageSegments },
      schema: { tags, params: idParams, body: segmentUpdateSchema, response: { 200: segmentSchema, ...bad } },
    },
    async (req) => service.updateSegment(ctx, requireActor(req), req.params.id, req.body),
  );

  app.delete(
    '/api/segments/:id',
    {
      config: { policy: canManageSegments },
      schema: {
        tags,
        summary: 'Delete a segment (409 while another segment names it)',
        params: idParams,
        response: { 204: z.null(), 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      await service.deleteSegment(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/segments/:id/count',
    {
      config: { policy: canReadSegments },
      schema: { tags, params: idParams, response: { 200: segmentCountSchema, ...bad } },
    },
    async (req) => ({ count: await service.countSegment(ctx, requireActor(req), req.params.id) }),
  );

  app.get(
    '/api/segments/:id/contacts',
    {
      config: { policy: canReadSegments },
      schema: {
        tags,
        summary: "The segment's contacts: the contact list's columns, filters, sorts and cursors",
        params: idParams,
        querystring: contactListQuerySchema,
        response: { 200: pageOf(contactSchema), ...bad },
      },
    },
    async (req) => service.segmentContacts(ctx, requireActor(req), req.params.id, req.query),
  );

  app.get(
    '/api/segments/:id/export',
    {
      config: { policy: canReadSegments },
      schema: { tags, summary: "The segment's contacts as the contacts CSV", params: idParams },
    },
    async (req, reply) => {
      const { csv } = await service.exportSegment(ctx, requireActor(req), req.params.id);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="segment-${req.params.id}.csv"`);
      return reply.send(Readable.from(csv));
    },
  );

  app.get(
    '/api/segments/:id/snapshots',
    {
      config: { policy: canReadSegments },
      schema: {
        tags,
        params: idParams,
        response: { 200: z.object({ items: z.array(segmentSnapshotSchema) }), ...bad },
      },
    },
    async (req) => ({ items: await service.listSnapshots(ctx, requireActor(req), req.params.id) }),
  );

  app.post(
    '/api/segments/:id/snapshots',
    {
      config: { policy: canSnapshotSegments },
      schema: {
        tags,
        summary: 'Freeze the contact ids matching now (for a send)',
        params: idParams,
        body: segmentSnapshotCreateSchema,
        response: { 201: segmentSnapshotSchema, ...bad },
      },
    },
    async (req, reply) => {
      const dto = await service.takeSnapshot(ctx, requireActor(req), req.params.id, req.body.purpose ?? null);
      reply.status(201);
      return dto;
    },
  );
}
