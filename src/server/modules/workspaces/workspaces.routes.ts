import { z } from 'zod';
import { errorBodySchema, idSchema } from '../../../contracts/common.ts';
import {
  apiTokenCreatedSchema,
  apiTokenCreateSchema,
  apiTokenListQuerySchema,
  apiTokenListSchema,
  meSchema,
  setupRequestSchema,
  setupStatusSchema,
  signInRequestSchema,
  teamCreateSchema,
  teamListSchema,
  teamSchema,
  teamUpdateSchema,
  updateMeSchema,
  userCreateSchema,
  userListQuerySchema,
  userListSchema,
  userSchema,
  userUpdateSchema,
} from '../../../contracts/workspaces.ts';
import type { ZApp } from '../../http/app.ts';
import { requestMeta, requireActor, SESSION_COOKIE } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { RateLimitedError } from '../../lib/errors.ts';
import {
  canCreateApiTokens,
  canManageTeams,
  canManageUsers,
  canReadPeople,
  canUseApiTokens,
  publicAccess,
  signedIn,
} from './workspaces.policy.ts';
import * as service from './workspaces.service.ts';
import * as teams from './workspaces.teams.ts';
import * as users from './workspaces.users.ts';

const okSchema = z.object({ ok: z.literal(true) });
const idParams = z.strictObject({ id: idSchema });
const errors = { 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** An AppError, so the error handler gives the 429 the one error shape, message included. */
function anonymousLimit(max: number) {
  return {
    max,
    timeWindow: 60_000,
    errorResponseBuilder: (_req: unknown, c: { after: string }) =>
      new RateLimitedError(`Too many attempts from this address; retry in ${c.after}`),
  };
}

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
      config: { policy: publicAccess, rateLimit: anonymousLimit(10) },
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
      config: { policy: publicAccess, rateLimit: anonymousLimit(ctx.config.signInRateLimit) },
      schema: {
        tags: ['auth'],
        summary: 'Password sign-in; sets the session cookie and returns the CSRF token',
        body: signInRequestSchema,
        response: { 200: z.object({ csrfToken: z.string() }), 401: errorBodySchema, 429: errorBodySchema },
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

  app.patch(
    '/api/me',
    {
      config: { policy: signedIn },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own name, language or time zone',
        body: updateMeSchema,
        response: { 200: meSchema, 400: errorBodySchema },
      },
    },
    async (req) => users.updateMe(ctx, requireActor(req), req.body, req.csrfToken),
  );

  registerPeopleRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
}

function registerPeopleRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/users',
    {
      config: { policy: canReadPeople },
      schema: {
        tags: ['users'],
        summary: 'Users of the workspace, by name',
        querystring: userListQuerySchema,
        response: { 200: userListSchema },
      },
    },
    async (req) => users.listUsers(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/users/:id',
    {
      config: { policy: canReadPeople },
      schema: { tags: ['users'], params: idParams, response: { 200: userSchema, 404: errorBodySchema } },
    },
    async (req) => users.getUser(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/users',
    {
      config: { policy: canManageUsers },
      schema: {
        tags: ['users'],
        summary: 'Add a user (409 with existingId if the e-mail is taken)',
        body: userCreateSchema,
        response: { 201: userSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = await users.createUser(ctx, requireActor(req), req.body);
      reply.status(201);
      return user;
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { policy: canManageUsers },
      schema: {
        tags: ['users'],
        summary: 'Change, demote, deactivate or reactivate a user',
        params: idParams,
        body: userUpdateSchema,
        response: { 200: userSchema, ...errors },
      },
    },
    async (req) => users.updateUser(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/teams',
    {
      config: { policy: canReadPeople },
      schema: {
        tags: ['teams'],
        summary: 'Teams of the workspace, by name',
        response: { 200: teamListSchema },
      },
    },
    async (req) => teams.listTeams(ctx, requireActor(req)),
  );

  app.get(
    '/api/teams/:id',
    {
      config: { policy: canReadPeople },
      schema: { tags: ['teams'], params: idParams, response: { 200: teamSchema, 404: errorBodySchema } },
    },
    async (req) => teams.getTeam(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/teams',
    {
      config: { policy: canManageTeams },
      schema: { tags: ['teams'], body: teamCreateSchema, response: { 201: teamSchema, ...errors } },
    },
    async (req, reply) => {
      const team = await teams.createTeam(ctx, requireActor(req), req.body);
      reply.status(201);
      return team;
    },
  );

  app.patch(
    '/api/teams/:id',
    {
      config: { policy: canManageTeams },
      schema: {
        tags: ['teams'],
        summary: 'Rename a team or replace its members (memberIds is the whole list)',
        params: idParams,
        body: teamUpdateSchema,
        response: { 200: teamSchema, ...errors },
      },
    },
    async (req) => teams.updateTeam(ctx, requireActor(req), req.params.id, req.body),
  );
}

function registerTokenRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/tokens',
    {
      config: { policy: canUseApiTokens },
      schema: {
        tags: ['tokens'],
        summary: 'Your live API tokens (admins: `userId` for another user’s); never the secret',
        querystring: apiTokenListQuerySchema,
        response: { 200: apiTokenListSchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (req) => service.listApiTokens(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/tokens',
    {
      config: { policy: canCreateApiTokens },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (from a signed-in session); the token is shown only in this answer',
        body: apiTokenCreateSchema,
        response: { 201: apiTokenCreatedSchema, 400: errorBodySchema },
      },
    },
    async (req, reply) => {
      const created = await service.issueApiToken(ctx, requireActor(req), req.body);
      reply.status(201);
      return created;
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { policy: canUseApiTokens },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke your token (admins: any token of the workspace)',
        params: idParams,
        response: { 200: okSchema, 404: errorBodySchema },
      },
    },
    async (req) => {
      await service.revokeApiToken(ctx, requireActor(req), req.params.id);
      return { ok: true as const };
    },
  );
}
