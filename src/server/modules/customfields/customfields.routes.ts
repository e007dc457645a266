import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  customFieldCreateSchema,
  customFieldListQuerySchema,
  customFieldListSchema,
  customFieldSchema,
  customFieldUpdateSchema,
} from '../../../contracts/customFields.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canManageCustomFields, canReadRecords } from '../workspaces/workspaces.policy.ts';
import * as service from './customfields.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });

export function registerCustomFieldsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/custom-fields',
    {
      config: { policy: canReadRecords },
      schema: {
        tags: ['custom fields'],
        summary: 'Custom field definitions, optionally of one entity',
        querystring: customFieldListQuerySchema,
        response: { 200: customFieldListSchema },
      },
    },
    async (req) => ({ items: await service.listCustomFields(ctx, requireActor(req), req.query) }),
  );

  app.post(
    '/api/custom-fields',
    {
      config: { policy: canManageCustomFields },
      schema: {
        tags: ['custom fields'],
        summary: 'Define a custom field (409 with existingId if the key is taken)',
        body: customFieldCreateSchema,
        response: { 201: customFieldSchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createCustomField(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.patch(
    '/api/custom-fields/:id',
    {
      config: { policy: canManageCustomFields },
      schema: {
        tags: ['custom fields'],
        summary: 'Change the label, options or required flag of a custom field',
        params: idParams,
        body: customFieldUpdateSchema,
        response: { 200: customFieldSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.updateCustomField(ctx, requireActor(req), req.params.id, req.body),
  );

  app.delete(
    '/api/custom-fields/:id',
    {
      config: { policy: canManageCustomFields },
      schema: {
        tags: ['custom fields'],
        summary: 'Delete a custom field and its values on every record',
        params: idParams,
        response: { 204: z.null(), 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      await service.deleteCustomField(ctx, requireActor(req), req.params.id);
      reply.status(204);
      return null;
    },
  );
}
