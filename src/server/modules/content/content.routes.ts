import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  contentAssetSchema,
  contentLinkCreateSchema,
  contentLinkVersionSchema,
  contentListQuerySchema,
  contentMetaSchema,
  contentShareCreateSchema,
  contentShareSchema,
} from '../../../contracts/content.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { RateLimitedError, ValidationError } from '../../lib/errors.ts';
import { publicAccess } from '../workspaces/workspaces.policy.ts';
import { canManageContent, canReadContent, canShareContent } from './content.policy.ts';
import * as service from './content.service.ts';

const tags = ['content'];
const idParams = z.strictObject({ id: z.string().max(64) });
/** Opens of one share link per address per minute (a person reading, not a crawler). */
export const OPENS_PER_MINUTE = 30;

/** The uploaded file (multipart field "file") and, for a new asset, its `meta` JSON field. */
async function upload(req: FastifyRequest, ctx: AppContext) {
  if (!req.isMultipart())
    throw new ValidationError('Send the file as multipart/form-data', { file: 'is required' });
  const file = await req.file({ limits: { fileSize: ctx.config.contentMaxBytes, files: 1 } });
  if (!file)
    throw new ValidationError('No file uploaded', { file: 'send the file as multipart field "file"' });
  const metaField = file.fields.meta;
  const metaRaw =
    metaField && !Array.isArray(metaField) && 'value' in metaField ? String(metaField.value) : undefined;
  return { file: { fileName: file.filename, stream: file.file }, metaRaw };
}

function parseMeta(raw: string | undefined) {
  let json: unknown;
  try {
    json = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    throw new ValidationError('Invalid meta: not JSON', { meta: 'must be JSON' });
  }
  const parsed = contentMetaSchema.safeParse(json ?? {});
  if (!parsed.success) {
    const fields = Object.fromEntries(
      parsed.error.issues.map((i) => [['meta', ...i.path.map(String)].join('.'), i.message]),
    );
    throw new ValidationError(
      `Invalid meta: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}`,
      fields,
    );
  }
  return parsed.data;
}

function sendServed(
  reply: FastifyReply,
  served: Exclude<service.OpenedShare, { kind: 'not_found' | 'expired' }>,
) {
  if (served.kind === 'redirect') return reply.redirect(served.url, 302);
  reply.header('content-type', served.mime);
  reply.header('content-disposition', `inline; filename="${served.fileName.replace(/"/g, '')}"`);
  reply.header('cache-control', 'private, no-store');
  return reply.send(fs.createReadStream(served.path));
}

function page(title: string, text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body></html>`;
}

export function registerContentRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/content',
    {
      config: { policy: canReadContent },
      schema: {
        tags,
        summary: 'Assets by kind, funnel stage, language, product, market or title',
        querystring: contentListQuerySchema,
        response: { 200: z.object({ items: z.array(contentAssetSchema) }) },
      },
    },
    async (req) => ({ items: await service.listAssets(ctx, requireActor(req), req.query) }),
  );

  app.post(
    '/api/content/files',
    {
      config: { policy: canManageContent },
      schema: {
        tags,
        summary:
          'Upload a file asset (multipart: "meta" JSON field first, then "file"); type checked by content',
        response: { 201: contentAssetSchema, 400: errorBodySchema, 413: errorBodySchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { file, metaRaw } = await upload(req, ctx);
      let meta: ReturnType<typeof parseMeta>;
      try {
        meta = parseMeta(metaRaw);
      } catch (err) {
        file.stream.resume();
        throw err;
      }
      const dto = await service.createFileAsset(ctx, actor, meta, file);
      reply.status(201);
      return dto;
    },
  );

  app.post(
    '/api/content/links',
    {
      config: { policy: canManageContent },
      schema: {
        tags,
        summary: 'Add a link asset',
        body: contentLinkCreateSchema,
        response: { 201: contentAssetSchema, 400: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createLinkAsset(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/content/:id',
    {
      config: { policy: canReadContent },
      schema: { tags, params: idParams, response: { 200: contentAssetSchema, 404: errorBodySchema } },
    },
    async (req) => service.getAsset(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/content/:id/versions',
    {
      config: { policy: canManageContent },
      schema: {
        tags,
        summary: 'A new version: a multipart "file" for a file asset, or JSON {url} for a link asset',
        params: idParams,
        response: {
          201: contentAssetSchema,
          400: errorBodySchema,
          404: errorBodySchema,
          413: errorBodySchema,
        },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      let dto: Awaited<ReturnType<typeof service.addVersion>>;
      if (req.isMultipart()) {
        const { file } = await upload(req, ctx);
        dto = await service.addVersion(ctx, actor, req.params.id, { file });
      } else {
        const body = contentLinkVersionSchema.safeParse(req.body);
        if (!body.success)
          throw new ValidationError('Invalid body: url must be an http(s) URL', {
            url: 'must be an http(s) URL',
          });
        dto = await service.addVersion(ctx, actor, req.params.id, body.data);
      }
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/content/:id/versions/:versionId/file',
    {
      config: { policy: canReadContent },
      schema: {
        tags,
        summary: 'Download a version (404 if the file is missing)',
        params: z.strictObject({ id: z.string().max(64), versionId: z.string().max(64) }),
      },
    },
    async (req, reply) =>
      sendServed(
        reply,
        await service.versionFile(ctx, requireActor(req), req.params.id, req.params.versionId),
      ),
  );

  app.post(
    '/api/content/:id/shares',
    {
      config: { policy: canShareContent },
      schema: {
        tags,
        summary: 'A tracked share link of the asset for one contact (opening it logs a content_view touch)',
        params: idParams,
        body: contentShareCreateSchema,
        response: { 201: contentShareSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createShare(ctx, requireActor(req), req.params.id, req.body);
      reply.status(201);
      return dto;
    },
  );

  // Public (publicAccess): the recipient opens the link without an account. Rate-limited per address.
  app.get(
    '/c/:token',
    {
      schema: { hide: true, params: z.strictObject({ token: z.string().max(100) }) },
      config: {
        policy: publicAccess,
        rateLimit: {
          max: OPENS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req: FastifyRequest) => `share:${req.ip}`,
          errorResponseBuilder: (_req: unknown, c: { after: string }) =>
            new RateLimitedError(`Too many requests from this address; retry in ${c.after}`),
        },
      },
    },
    async (req, reply) => {
      const opened = await service.openShare(ctx, req.params.token);
      if (opened.kind === 'not_found') {
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(page('Link not found', 'This link does not exist.'));
      }
      if (opened.kind === 'expired') {
        return reply
          .status(410)
          .type('text/html; charset=utf-8')
          .send(page('Link expired', 'This link has expired. Ask the person who sent it for a new one.'));
      }
      return sendServed(reply, opened);
    },
  );
}
