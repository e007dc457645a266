import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { RateLimitedError } from '../lib/errors.ts';
import { registerModuleRoutes } from '../modules/routes.ts';
import { registerAuth } from './auth.ts';
import type { AppContext } from './context.ts';
import { errorHandler } from './errors.ts';

export type ZApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const WEB_DIST = path.resolve(import.meta.dirname, '../../../dist/web');

/** Per-minute request budget: anonymous callers by IP, signed-in callers by user. */
const ANON_PER_MINUTE = 300;
const USER_PER_MINUTE = 20_000;

export interface BuildOptions {
  logger?: boolean;
}

/** Builds the HTTP app (API, docs, web app). Listening is the caller's job. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<ZApp> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Ant Design injects its CSS-in-JS as <style> elements.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'"],
      },
    },
  });
  await app.register(cookie);
  registerAuth(app, ctx);
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler', // after auth has resolved the actor
    timeWindow: 60_000,
    max: (req) => (req.actor ? USER_PER_MINUTE : ANON_PER_MINUTE),
    keyGenerator: (req) => (req.actor ? `u:${req.actor.workspaceId}:${req.actor.userId}` : `ip:${req.ip}`),
    // Thrown, so the one error handler writes the one error shape.
    errorResponseBuilder: (_req, context) =>
      new RateLimitedError(`Too many requests; retry in ${context.after}`),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tandem API', version: '0.1.0', description: 'Marketing and sales in one closed loop.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'tandem_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await registerModuleRoutes(app, ctx);

  const hasWeb = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    // A missing build file is a 404, never the app page (a browser would run HTML as a script).
    const isFile = req.url.startsWith('/assets/') || /\.[a-z0-9]{1,5}(\?|$)/i.test(req.url);
    if (req.url.startsWith('/api/') || isFile || !hasWeb || req.method !== 'GET') {
      reply
        .status(404)
        .send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
      return;
    }
    // Client-side routes of the single-page app.
    reply.type('text/html').sendFile('index.html');
  });
  return app;
}
