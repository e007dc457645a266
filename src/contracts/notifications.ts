import { z } from 'zod';
import { limitSchema } from './common.ts';

/** In-app notifications: what the bell in the header lists (`/api/notifications…`). */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  /** A path inside the web app (`/campaigns/cam_…`), or null. */
  link: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = z.strictObject({
  unread: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  /** Unread notifications of the caller in total (the bell's badge), whatever the page. */
  unreadCount: z.number().int(),
});
export type NotificationPageDto = z.infer<typeof notificationPageSchema>;

export const markReadResultSchema = z.object({ updated: z.number().int(), unreadCount: z.number().int() });
export type MarkReadResultDto = z.infer<typeof markReadResultSchema>;
