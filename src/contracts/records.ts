import { z } from 'zod';
import { emailSchema, limitSchema } from './common.ts';

/** Shapes shared by contacts and companies: owner, team, tags, custom field values, list queries. */
export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 code such as DE or CN' });
export const tagsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(50, { error: 'at most 50 tags' })
  .transform((tags) => [...new Set(tags)]);
/** Values are checked against the workspace's custom field definitions by the service. */
export const customValuesSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(200)).max(100), z.null()]),
);
export const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const sortOrderSchema = z.enum(['asc', 'desc']).default('desc');
/** `me`, `none` (unassigned) or a user id. */
export const ownerFilterSchema = z.string().max(64);
export const deletedFilterSchema = z.enum(['exclude', 'only']).default('exclude');

export const recordListBase = {
  q: z.string().trim().max(200).optional(),
  ownerId: ownerFilterSchema.optional(),
  teamId: z.string().max(64).optional(),
  tag: z.string().max(50).optional(),
  country: countrySchema.optional(),
  order: sortOrderSchema,
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
  deleted: deletedFilterSchema,
};

/** A record's change history (its audit rows, newest first). */
export const historyQuerySchema = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export { emailSchema };
