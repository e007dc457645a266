import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  contactCreateSchema,
  contactListQuerySchema,
  contactSchema,
  contactUpdateSchema,
} from '../../../contracts/contacts.ts';
import { auditEntrySchema } from '../../../contracts/governance.ts';
import { historyQuerySchema } from '../../../contracts/records.ts';
import type { ZApp } from '../../http/app.ts';
import { requestMeta, requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canReadRecords, canWriteRecords } from '../workspaces/workspaces.policy.ts';
import * as service from './contacts.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const tags = ['contacts'];

export function registerContactsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/contacts',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: 'Contacts the caller may see: filters, search, sort, keyset pages',
        querystring: contactListQuerySchema,
        response: { 200: pageOf(contactSchema), 400: errorBodySchema },
      },
    },
    async (req) => service.listContacts(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/contacts',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Create a contact (409 with existingId when the e-mail is taken)',
        body: contactCreateSchema,
        response: { 201: contactSchema, 400: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createContact(ctx, requireActor(req), req.body, requestMeta(req));
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/contacts/:id',
    {
      config: { policy: canReadRecords },
      schema: { tags, params: idParams, response: { 200: contactSchema, 404: errorBodySchema } },
    },
    async (req) => service.getContact(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/contacts/:id',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Change some fields of a contact (null clears a field)',
        params: idParams,
        body: contactUpdateSchema,
        response: { 200: contactSchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req) => service.updateContact(ctx, requireActor(req), req.params.id, req.body, requestMeta(req)),
  );

  app.delete(
    '/api/contacts/:id',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Soft-delete a contact (restore brings it back)',
        params: idParams,
        response: { 200: contactSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.deleteContact(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.post(
    '/api/contacts/:id/restore',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Restore a soft-deleted contact (409 with existingId if its e-mail was taken meanwhile)',
        params: idParams,
        response: { 200: contactSchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req) => service.restoreContact(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.get(
    '/api/contacts/:id/history',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: "The contact's change history (its audit rows), newest first",
        params: idParams,
        querystring: historyQuerySchema,
        response: { 200: pageOf(auditEntrySchema), 404: errorBodySchema },
      },
    },
    async (req) =>
      service.contactHistory(ctx, requireActor(req), req.params.id, req.query.cursor, req.query.limit),
  );
}
