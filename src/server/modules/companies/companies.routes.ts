import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  companyCreateSchema,
  companyListQuerySchema,
  companySchema,
  companyUpdateSchema,
} from '../../../contracts/companies.ts';
import { companyContactsQuerySchema, contactSchema } from '../../../contracts/contacts.ts';
import { auditEntrySchema } from '../../../contracts/governance.ts';
import { historyQuerySchema } from '../../../contracts/records.ts';
import type { ZApp } from '../../http/app.ts';
import { requestMeta, requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canReadRecords, canWriteRecords } from '../workspaces/workspaces.policy.ts';
import * as service from './companies.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const tags = ['companies'];

export function registerCompaniesRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/companies',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: 'Companies the caller may see: filters, search, sort, keyset pages',
        querystring: companyListQuerySchema,
        response: { 200: pageOf(companySchema), 400: errorBodySchema },
      },
    },
    async (req) => service.listCompanies(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/companies',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Create a company (409 with existingId when the domain is taken)',
        body: companyCreateSchema,
        response: { 201: companySchema, 400: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createCompany(ctx, requireActor(req), req.body, requestMeta(req));
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/companies/:id',
    {
      config: { policy: canReadRecords },
      schema: { tags, params: idParams, response: { 200: companySchema, 404: errorBodySchema } },
    },
    async (req) => service.getCompany(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/companies/:id',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Change some fields of a company (null clears a field)',
        params: idParams,
        body: companyUpdateSchema,
        response: { 200: companySchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req) => service.updateCompany(ctx, requireActor(req), req.params.id, req.body, requestMeta(req)),
  );

  app.delete(
    '/api/companies/:id',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Soft-delete a company (its contacts keep the link)',
        params: idParams,
        response: { 200: companySchema, 404: errorBodySchema },
      },
    },
    async (req) => service.deleteCompany(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.post(
    '/api/companies/:id/restore',
    {
      config: { policy: canWriteRecords },
      schema: {
        tags,
        summary: 'Restore a soft-deleted company (409 with existingId if its domain was taken meanwhile)',
        params: idParams,
        response: { 200: companySchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req) => service.restoreCompany(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.get(
    '/api/companies/:id/contacts',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: 'Contacts of a company (those the caller may see)',
        params: idParams,
        querystring: companyContactsQuerySchema,
        response: { 200: pageOf(contactSchema), 404: errorBodySchema },
      },
    },
    async (req) => service.companyContacts(ctx, requireActor(req), req.params.id, req.query),
  );

  app.get(
    '/api/companies/:id/history',
    {
      config: { policy: canReadRecords },
      schema: {
        tags,
        summary: "The company's change history (its audit rows), newest first",
        params: idParams,
        querystring: historyQuerySchema,
        response: { 200: pageOf(auditEntrySchema), 404: errorBodySchema },
      },
    },
    async (req) =>
      service.companyHistory(ctx, requireActor(req), req.params.id, req.query.cursor, req.query.limit),
  );
}
