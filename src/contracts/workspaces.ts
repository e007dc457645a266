import { z } from 'zod';
import { emailSchema, localeSchema, passwordSchema, roleSchema, timeZoneSchema } from './common.ts';

export const setupStatusSchema = z.object({ needsSetup: z.boolean() });

export const setupRequestSchema = z.strictObject({
  workspaceName: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(120),
  email: emailSchema,
  password: passwordSchema,
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const signInRequestSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
  workspace: z.string().trim().min(1).max(120).optional(),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const meSchema = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    locale: localeSchema,
    timeZone: z.string(),
    teamIds: z.array(z.string()),
  }),
  workspace: z.object({ id: z.string(), name: z.string(), slug: z.string(), reportingCurrency: z.string() }),
  /** Send back as `x-csrf-token` on every write made with the session cookie. */
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const updateMeSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});
