import { z } from 'zod';

/** Shared building blocks for every API schema. Objects are strict: unknown fields are a 400. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    existingId: z.string().optional(),
  }),
});
export type ErrorBodyDto = z.infer<typeof errorBodySchema>;

export const idSchema = z.string().min(3).max(64);
export const emailSchema = z.email({ error: 'must be a valid e-mail address' }).max(254);
export const localeSchema = z.enum(['en', 'zh-CN']);
export const roleSchema = z.enum(['admin', 'marketing', 'sales_manager', 'sales_rep', 'service']);
export const passwordSchema = z
  .string()
  .min(10, { error: 'must be at least 10 characters' })
  .max(200, { error: 'must be at most 200 characters' });
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be an IANA time zone such as Europe/Berlin' },
  );

export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
