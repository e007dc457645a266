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
export type UpdateMe = z.infer<typeof updateMeSchema>;

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
/** The whole list, unpaginated: a workspace's users are few, and pickers need all of them. */
export const userListSchema = z.object({ items: z.array(userSchema) });
export const userListQuerySchema = z.strictObject({ active: z.stringbool().optional() });
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const userCreateSchema = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(120),
  password: passwordSchema,
  role: roleSchema,
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  teamIds: z.array(z.string().max(64)).max(50).optional(),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  role: roleSchema.optional(),
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  active: z.boolean().optional(),
  password: passwordSchema.optional(),
});
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const teamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
export type TeamDto = z.infer<typeof teamSchema>;
export const teamListSchema = z.object({ items: z.array(teamSchema) });
export const teamCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  memberIds: z.array(z.string().max(64)).max(500).default([]),
});
export type TeamCreate = z.infer<typeof teamCreateSchema>;
export const teamUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  memberIds: z.array(z.string().max(64)).max(500).optional(),
});
export type TeamUpdate = z.infer<typeof teamUpdateSchema>;

export const apiTokenCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(80) });
export type ApiTokenCreate = z.infer<typeof apiTokenCreateSchema>;
/** The only time the plain token is shown: send it as `Authorization: Bearer <token>`. */
export const apiTokenCreatedSchema = z.object({ id: z.string(), token: z.string() });
export const apiTokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
/** `userId` lets an admin see another user's live tokens (to revoke one). */
export const apiTokenListQuerySchema = z.strictObject({ userId: z.string().max(64).optional() });
export type ApiTokenListQuery = z.infer<typeof apiTokenListQuerySchema>;
