import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../lib/errors.ts';
import { type Actor, type Policy, publicAccess } from '../modules/workspaces/workspaces.policy.ts';
import { authenticateSession, authenticateToken } from '../modules/workspaces/workspaces.service.ts';
import type { AppContext } from './context.ts';

export const SESSION_COOKIE = 'tandem_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The named policy that authorises this route; the server refuses to start without one. */
    policy?: Policy;
  }
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The actor of an authorised request (a route whose policy admits anonymous callers gets 401 here). */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new UnauthenticatedError();
  return req.actor;
}

export function requestMeta(req: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
}

/**
 * Resolves the actor (Bearer token or session cookie), enforces CSRF on cookie-authenticated writes,
 * then runs the route's named policy: no actor is 401, a refusing policy is 403. Runs before body
 * parsing, so an unauthorised caller learns nothing from validation errors.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    const guarded = (url.startsWith('/api/') && !url.startsWith('/api/docs')) || url.startsWith('/f/');
    if (guarded && !route.config?.policy) {
      throw new Error(`Route ${String(route.method)} ${url} has no policy`);
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy) return; // static files, API docs, the 404 handler
    // Public routes are anonymous by definition: a visitor's session (and its CSRF rule) plays no
    // part, so a signed-in marketer can submit their own public form like anyone else.
    if (policy === publicAccess) return;
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      req.actor = m?.[1] ? await authenticateToken(ctx, m[1]) : null;
      if (!req.actor) throw new UnauthenticatedError('Invalid API token');
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await authenticateSession(ctx, cookie);
        if (session) {
          req.actor = session.actor;
          req.csrfToken = session.csrfToken;
          if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
            throw new ForbiddenError('Missing or wrong CSRF token (send the x-csrf-token header)');
          }
        }
      }
    }
    if (!policy(req.actor)) {
      if (!req.actor) throw new UnauthenticatedError();
      throw new ForbiddenError();
    }
  });
}
