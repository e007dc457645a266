import { errorBodySchema } from '../../../contracts/common.ts';
import { quoteSettingsSchema, quoteSettingsUpdateSchema } from '../../../contracts/quotes.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { ValidationError } from '../../lib/errors.ts';
import { registerCatalogRoutes } from './quotes.catalog.routes.ts';
import { canManageQuoteSettings, canReadCatalog } from './quotes.policy.ts';
import * as settings from './quotes.settings.ts';

/** Products, price lists, quotes and the quote settings (discount threshold, logo). */
export async function registerQuotesRoutes(app: ZApp, ctx: AppContext): Promise<void> {
  registerCatalogRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
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
  app.put(
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
