import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/common.ts';
import {
  markReadResultSchema,
  notificationListQuerySchema,
  notificationPageSchema,
} from '../../../contracts/notifications.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { canUseOwnNotifications } from './notifications.policy.ts';
import * as service from './notifications.service.ts';

const idParams = z.strictObject({ id: z.string().max(64) });

export function registerNotificationsRoutes(app: ZApp, ctx: AppContext): void {
  app.get(
    '/api/notifications',
    {
      config: { policy: canUseOwnNotifications },
      schema: {
        tags: ['notifications'],
        summary: "The caller's in-app notifications, newest first, with the unread count",
        querystring: notificationListQuerySchema,
        response: { 200: notificationPageSchema, 400: errorBodySchema },
      },
    },
    async (req) => service.listNotifications(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { policy: canUseOwnNotifications },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read',
        params: idParams,
        response: { 200: markReadResultSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.markNotificationRead(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/notifications/read-all',
    {
      config: { policy: canUseOwnNotifications },
      schema: {
        tags: ['notifications'],
        summary: 'Mark every notification of the caller read',
        response: { 200: markReadResultSchema },
      },
    },
    async (req) => service.markAllNotificationsRead(ctx, requireActor(req)),
  );
}
