import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  meSchema,
  setupRequestSchema,
  setupStatusSchema,
  signInRequestSchema,
} from '../../../contracts/workspaces.ts';
import type { ZApp } from '../../http/app.ts';
import { requestMeta, requireActor, SESSION_COOKIE } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { publicAccess, signedIn } from './workspaces.policy.ts';
import * as service from './workspaces.service.ts';

const okSchema = z.object({ ok: z.literal(true) });

export function registerWorkspacesRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/setup',
    {
      config: { policy: publicAccess },
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run set-up is needed',
        response: { 200: setupStatusSchema },
      },
    },
    async () => ({ needsSetup: await service.needsSetup(ctx) }),
  );

  app.post(
    '/api/setup',
    {
      config: { policy: publicAccess, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Create the first workspace and its admin (only while no user exists)',
        body: setupRequestSchema,
        response: { 201: z.object({ workspaceId: z.string() }), 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const result = await service.setupFirstWorkspace(ctx, req.body);
      reply.status(201);
      return result;
    },
  );

  app.post(
    '/api/auth/sign-in',
    {
      config: { policy: publicAccess, rateLimit: { max: ctx.config.signInRateLimit, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Password sign-in; sets the session cookie and returns the CSRF token',
        body: signInRequestSchema,
        response: { 200: z.object({ csrfToken: z.string() }), 401: errorBodySchema },
      },
    },
    async (req, reply) => {
      const s = await service.signIn(ctx, req.body, requestMeta(req));
      reply.setCookie(SESSION_COOKIE, s.cookie, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.secureCookies,
        path: '/',
        expires: s.expiresAt,
      });
      return { csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { policy: signedIn }, schema: { tags: ['auth'], response: { 200: okSchema } } },
    async (req, reply) => {
      await service.signOut(ctx, requireActor(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    {
      config: { policy: signedIn },
      schema: { tags: ['auth'], summary: 'The signed-in user and workspace', response: { 200: meSchema } },
    },
    async (req) => service.describeMe(ctx, requireActor(req), req.csrfToken),
  );
}
