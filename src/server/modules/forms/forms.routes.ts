import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  formCreateSchema,
  formEmbedQuerySchema,
  formEmbedSchema,
  formListQuerySchema,
  formSchema,
  formSubmissionListQuerySchema,
  formSubmissionSchema,
  formUpdateSchema,
} from '../../../contracts/forms.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { RateLimitedError } from '../../lib/errors.ts';
import {
  canManageForms,
  canReadFormSubmissions,
  canReadForms,
  publicAccess,
} from '../workspaces/workspaces.policy.ts';
import type { RawValues } from './forms.fields.ts';
import { pick } from './forms.fields.ts';
import { negotiateLocale, renderFormPage, renderNotFound, renderThankYou } from './forms.render.ts';
import * as service from './forms.service.ts';
import { captureFrom, issueToken, loadPublicForm, submitForm } from './forms.submit.ts';

const idParams = z.strictObject({ id: z.string().max(64) });

/** Submissions one address may send to one form per minute. */
export const SUBMITS_PER_MINUTE = 10;
/** A form post is a few fields: anything larger is not a person filling a form. */
export const SUBMIT_BODY_LIMIT = 64 * 1024;

const ASSET_DIR = path.join(import.meta.dirname, 'assets');
const ASSETS: Record<string, { type: string; body: string }> = {
  'form.js': {
    type: 'text/javascript; charset=utf-8',
    body: fs.readFileSync(path.join(ASSET_DIR, 'form.js'), 'utf8'),
  },
  'embed.js': {
    type: 'text/javascript; charset=utf-8',
    body: fs.readFileSync(path.join(ASSET_DIR, 'embed.js'), 'utf8'),
  },
  'form.css': {
    type: 'text/css; charset=utf-8',
    body: fs.readFileSync(path.join(ASSET_DIR, 'form.css'), 'utf8'),
  },
};

export async function registerFormsRoutes(app: ZApp, ctx: AppContext): Promise<void> {
  registerFormsApi(app, ctx);
  await app.register(async (scope) => registerPublicRoutes(scope as ZApp, ctx));
}

function registerFormsApi(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/forms',
    {
      config: { policy: canReadForms },
      schema: {
        tags: ['forms'],
        summary: 'Web forms of the workspace, newest first',
        querystring: formListQuerySchema,
        response: { 200: pageOf(formSchema) },
      },
    },
    async (req) => service.listForms(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/forms',
    {
      config: { policy: canManageForms },
      schema: {
        tags: ['forms'],
        summary: 'Create a web form (400 naming the field for a bad definition)',
        body: formCreateSchema,
        response: { 201: formSchema, 400: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createForm(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );

  app.get(
    '/api/forms/:id',
    {
      config: { policy: canReadForms },
      schema: {
        tags: ['forms'],
        summary: 'A web form with its submission and spam counters',
        params: idParams,
        response: { 200: formSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.getForm(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/forms/:id',
    {
      config: { policy: canManageForms },
      schema: {
        tags: ['forms'],
        summary: 'Change a web form (fields given replace the list; archive with status)',
        params: idParams,
        body: formUpdateSchema,
        response: { 200: formSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (req) => service.updateForm(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/forms/:id/embed',
    {
      config: { policy: canReadForms },
      schema: {
        tags: ['forms'],
        summary: 'Snippets that embed the form on another site',
        params: idParams,
        querystring: formEmbedQuerySchema,
        response: { 200: formEmbedSchema, 404: errorBodySchema },
      },
    },
    async (req) =>
      service.embedCode(
        ctx,
        requireActor(req),
        req.params.id,
        req.query.origin ?? `${req.protocol}://${req.host}`,
      ),
  );

  app.get(
    '/api/forms/:id/submissions',
    {
      config: { policy: canReadFormSubmissions },
      schema: {
        tags: ['forms'],
        summary: "A form's submissions, newest first",
        params: idParams,
        querystring: formSubmissionListQuerySchema,
        response: { 200: pageOf(formSubmissionSchema), 404: errorBodySchema },
      },
    },
    async (req) => service.listSubmissions(ctx, requireActor(req), req.params.id, req.query),
  );
}

/**
 * Headers of every public form page: framable by any site (the embed is an iframe), scripts and
 * styles from this server only, and form posts to this server or the form's redirect target
 * (Chrome applies form-action to the redirect after a post).
 */
function pageHeaders(reply: FastifyReply, redirectUrl?: string): void {
  const formAction = ["'self'"];
  if (redirectUrl) formAction.push(new URL(redirectUrl).origin);
  reply.header(
    'content-security-policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      `form-action ${formAction.join(' ')}`,
      'frame-ancestors *',
    ].join('; '),
  );
  reply.header('cache-control', 'no-store');
  reply.type('text/html; charset=utf-8');
}

/** Helmet's X-Frame-Options and CSP are replaced by {@link pageHeaders} on these routes. */
const framable = { frameguard: false, contentSecurityPolicy: false } as const;

function flatten(query: unknown): RawValues {
  const out: RawValues = {};
  if (!query || typeof query !== 'object' || Array.isArray(query)) return out;
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (Array.isArray(v))
      out[k] = v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  }
  return out;
}

function parseUrlEncoded(text: string): RawValues {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

function wantsJson(req: FastifyRequest): boolean {
  return String(req.headers['content-type'] ?? '').includes('json');
}

function registerPublicRoutes(app: ZApp, ctx: AppContext): void {
  // Only this scope reads HTML form posts; the API stays JSON-only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseUrlEncoded(String(body)));
  });

  app.get(
    '/f/assets/:file',
    {
      config: { policy: publicAccess },
      // Loaded by other sites' pages (embed.js) and by framed pages: not same-origin only.
      helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
      schema: { hide: true, params: z.strictObject({ file: z.string().max(40) }) },
    },
    async (req, reply) => {
      const asset = ASSETS[req.params.file];
      if (!asset) {
        reply.status(404).send({ error: { code: 'not_found', message: 'No such asset' } });
        return reply;
      }
      reply.header('cache-control', 'public, max-age=300');
      reply.type(asset.type).send(asset.body);
      return reply;
    },
  );

  app.get(
    '/f/:formId',
    { config: { policy: publicAccess }, helmet: framable, schema: { hide: true } },
    async (req, reply) => {
      const { formId } = req.params as { formId: string };
      const query = flatten(req.query);
      const form = formId.length <= 64 ? await loadPublicForm(ctx, formId) : undefined;
      const locale = negotiateLocale(
        query.lang?.toString(),
        req.headers['accept-language'],
        form?.row.default_locale ?? 'en',
      );
      pageHeaders(reply, form?.row.success.kind === 'redirect' ? form.row.success.url : undefined);
      if (!form) return reply.status(404).send(renderNotFound(locale));
      const embed = query.embed === '1';
      // An embedding page passes its own referrer and URL; the Referer of a framed page is the host page.
      const hidden = captureFrom({
        ...query,
        _referrer: query.ref ?? (embed ? undefined : req.headers.referer),
        _page: query.page,
        _embed: embed ? '1' : undefined,
      });
      const token = await issueToken(ctx, form);
      return reply.send(renderFormPage(form.page, { locale, token, values: {}, errors: {}, hidden }));
    },
  );

  // Public (publicAccess): the auth hook ignores any session cookie here, so a signed-in visitor
  // posts like anyone else, with no CSRF header.
  app.post(
    '/f/:formId',
    {
      bodyLimit: SUBMIT_BODY_LIMIT,
      helmet: framable,
      schema: { hide: true },
      config: {
        policy: publicAccess,
        rateLimit: {
          max: SUBMITS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req: FastifyRequest) =>
            `form:${req.ip}:${(req.params as { formId?: string }).formId}`,
          errorResponseBuilder: (_req: unknown, c: { after: string }) =>
            new RateLimitedError(`Too many submissions from this address; retry in ${c.after}`),
        },
      },
    },
    async (req, reply) => {
      const { formId } = req.params as { formId: string };
      const json = wantsJson(req);
      const body = flatten(req.body);
      const form = formId.length <= 64 ? await loadPublicForm(ctx, formId) : undefined;
      if (!form) {
        const locale = negotiateLocale(body._lang?.toString(), req.headers['accept-language'], 'en');
        if (json)
          return reply
            .status(404)
            .send({ error: { code: 'not_found', message: `Form ${formId} not found` } });
        pageHeaders(reply);
        return reply.status(404).send(renderNotFound(locale));
      }
      const redirectUrl = form.row.success.kind === 'redirect' ? form.row.success.url : undefined;
      const outcome = await submitForm(ctx, form, body, {
        ip: req.ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        acceptLanguage: req.headers['accept-language'],
      });
      if (outcome.kind === 'invalid') {
        if (json) {
          return reply.status(400).send({
            error: {
              code: 'validation_failed',
              message: `Invalid submission: ${Object.entries(outcome.fields)
                .map(([k, v]) => `${k} ${v}`)
                .join('; ')}`,
              fields: outcome.fields,
            },
          });
        }
        pageHeaders(reply, redirectUrl);
        return reply.status(400).send(renderFormPage(form.page, outcome.state));
      }
      const success = form.row.success;
      const message = success.kind === 'message' ? pick(success.message, outcome.locale) : undefined;
      if (json) return reply.send({ ok: true, message: message ?? null, redirectUrl: redirectUrl ?? null });
      const embedded = String(body._embed ?? '') === '1';
      if (redirectUrl && !embedded) return reply.redirect(redirectUrl, 303);
      pageHeaders(reply);
      return reply.send(
        renderThankYou({
          locale: outcome.locale,
          title: pick(form.row.title, outcome.locale) ?? form.row.name,
          heading: pick(form.row.title, outcome.locale),
          message,
          redirectUrl,
        }),
      );
    },
  );
}
