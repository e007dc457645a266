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

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  locale: localeSchema,
  timeZone: z.string(),
  active: z.boolean(),
  teamIds: z.array(z.string()),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserDto = z.infer<typeof userSchema>;

export const userCreateSchema = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(120),
  password: passwordSchema,
  role: roleSchema,
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  teamIds: z.array(z.string().max(64)).max(50).optional(),
});

export const userUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  role: roleSchema.optional(),
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  active: z.boolean().optional(),
  password: passwordSchema.optional(),
});

export const teamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
export type TeamDto = z.infer<typeof teamSchema>;
export const teamCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  memberIds: z.array(z.string().max(64)).max(500).default([]),
});
export const teamUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  memberIds: z.array(z.string().max(64)).max(500).optional(),
});

export const apiTokenCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(80) });
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
