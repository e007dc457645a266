import { z } from 'zod';
import { errorBodySchema, localeSchema, pageOf } from '../../../contracts/common.ts';
import {
  approvalDecisionSchema,
  approvalRejectSchema,
  customerAnswerSchema,
  quoteCreateSchema,
  quoteListQuerySchema,
  quoteSchema,
  quoteSettingsSchema,
  quoteSettingsUpdateSchema,
  quoteUpdateSchema,
} from '../../../contracts/quotes.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { ValidationError } from '../../lib/errors.ts';
import { registerCatalogRoutes } from './quotes.catalog.routes.ts';
import { renderQuotePdf } from './quotes.pdf.ts';
import {
  canApproveQuotes,
  canManageQuoteSettings,
  canReadCatalog,
  canReadQuotes,
  canWriteQuotes,
} from './quotes.policy.ts';
import * as service from './quotes.service.ts';
import * as settings from './quotes.settings.ts';
import * as workflow from './quotes.workflow.ts';

const idParams = z.strictObject({ id: z.string().max(64) });
const listItem = quoteSchema.extend({ dealName: z.string() });
const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** Products, price lists, quotes and the quote settings (discount threshold, logo). */
export async function registerQuotesRoutes(app: ZApp, ctx: AppContext): Promise<void> {
  registerCatalogRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerQuoteRoutes(app, ctx);
}

function registerQuoteRoutes(app: ZApp, ctx: AppContext): void {
  const tags = ['quotes'];
  app.get(
    '/api/quotes',
    {
      config: { policy: canReadQuotes },
      schema: {
        tags,
        summary: 'Quotes on deals the caller can see, newest first (filter by deal or status)',
        querystring: quoteListQuerySchema,
        response: { 200: pageOf(listItem), 400: errorBodySchema },
      },
    },
    async (req) => service.listQuotes(ctx, requireActor(req), req.query),
  );
  app.post(
    '/api/quotes',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary: 'Create a draft quote on a deal, numbered from the workspace sequence; totals computed here',
        body: quoteCreateSchema,
        response: { 201: quoteSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await service.createQuote(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.get(
    '/api/quotes/:id',
    {
      config: { policy: canReadQuotes },
      schema: { tags, params: idParams, response: { 200: quoteSchema, 404: errorBodySchema } },
    },
    async (req) => service.getQuote(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    '/api/quotes/:id',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary: 'Change a draft (lines given replace all lines); a sent quote is a 409: make a new version',
        params: idParams,
        body: quoteUpdateSchema,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) => service.updateQuote(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/quotes/:id/versions',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary: 'Make the next version of a sent, answered or expired quote (an editable draft)',
        params: idParams,
        response: { 201: quoteSchema, ...errors },
      },
    },
    async (req, reply) => {
      const dto = await service.createVersion(ctx, requireActor(req), req.params.id);
      reply.status(201);
      return dto;
    },
  );
  app.post(
    '/api/quotes/:id/request-approval',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary: 'Ask a sales manager to approve a discount above the workspace threshold',
        params: idParams,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) => workflow.requestApproval(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/quotes/:id/approve',
    {
      config: { policy: canApproveQuotes },
      schema: {
        tags,
        summary: 'Approve the discount of a pending quote (sales managers), with an optional comment',
        params: idParams,
        body: approvalDecisionSchema,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) =>
      workflow.decideApproval(ctx, requireActor(req), req.params.id, 'approved', req.body.comment || null),
  );
  app.post(
    '/api/quotes/:id/reject',
    {
      config: { policy: canApproveQuotes },
      schema: {
        tags,
        summary: 'Reject the discount of a pending quote (sales managers), saying why',
        params: idParams,
        body: approvalRejectSchema,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) =>
      workflow.decideApproval(ctx, requireActor(req), req.params.id, 'rejected', req.body.comment),
  );
  app.post(
    '/api/quotes/:id/send',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary:
          'Mark a quote sent: quote_sent touch, deal to quote_sent, contact to opportunity (no e-mail is sent; download the PDF)',
        params: idParams,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) => workflow.sendQuote(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/quotes/:id/answer',
    {
      config: { policy: canWriteQuotes },
      schema: {
        tags,
        summary: "Record the customer's answer to a sent quote (accepted or rejected)",
        params: idParams,
        body: customerAnswerSchema,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (req) => workflow.answerQuote(ctx, requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/quotes/:id/pdf',
    {
      config: { policy: canReadQuotes },
      schema: {
        tags,
        summary: "The quote as a PDF, in the contact's language (or ?locale=en|zh-CN)",
        params: idParams,
        querystring: z.strictObject({ locale: localeSchema.optional() }),
      },
    },
    async (req, reply) => {
      const pdf = await renderQuotePdf(ctx, requireActor(req), req.params.id, req.query.locale);
      reply.header('content-disposition', `attachment; filename="${pdf.fileName}"`);
      reply.header('content-language', pdf.locale);
      return reply.type('application/pdf').send(pdf.bytes);
    },
  );
}

function registerSettingsRoutes(app: ZApp, ctx: AppContext): void {
  const tags = ['quotes'];
  app.get(
    '/api/quote-settings',
    {
      config: { policy: canReadCatalog },
      schema: {
        tags,
        summary: 'Discount approval threshold and branding',
        response: { 200: quoteSettingsSchema },
      },
    },
    async (req) => settings.getQuoteSettings(ctx, requireActor(req)),
  );
  app.patch(
    '/api/quote-settings',
    {
      config: { policy: canManageQuoteSettings },
      schema: {
        tags,
        summary: 'Change the discount above which a quote needs a sales manager approval',
        body: quoteSettingsUpdateSchema,
        response: { 200: quoteSettingsSchema, 400: errorBodySchema },
      },
    },
    async (req) => settings.updateQuoteSettings(ctx, requireActor(req), req.body),
  );
  app.post(
    '/api/workspace/logo',
    {
      config: { policy: canManageQuoteSettings },
      schema: {
        tags,
        summary: 'Upload the workspace logo (PNG or JPEG, multipart field "file", at most 1 MB)',
        response: { 200: quoteSettingsSchema, 400: errorBodySchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const file = await req.file({ limits: { fileSize: settings.MAX_LOGO_BYTES + 1 } });
      if (!file)
        throw new ValidationError('No file uploaded', { file: 'send the image as multipart field "file"' });
      const bytes = await file.toBuffer().catch(() => {
        throw new ValidationError('Logo too large', {
          file: `must be at most ${settings.MAX_LOGO_BYTES / 1024} KB`,
        });
      });
      return settings.saveLogo(ctx, actor, bytes);
    },
  );
  app.get(
    '/api/workspace/logo',
    { config: { policy: canReadCatalog }, schema: { tags, summary: 'The workspace logo image' } },
    async (req, reply) => {
      const logo = await settings.readLogo(ctx, requireActor(req).workspaceId);
      if (!logo) return reply.status(404).send({ error: { code: 'not_found', message: 'No logo set' } });
      reply.header('cache-control', 'private, max-age=60');
      return reply.type(logo.type).send(logo.bytes);
    },
  );
}
