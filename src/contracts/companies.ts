import { z } from 'zod';
import { countrySchema, customValuesSchema, optionalText, recordListBase, tagsSchema } from './records.ts';

export const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  website: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().int().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  custom: customValuesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type CompanyDto = z.infer<typeof companySchema>;

/** A bare domain such as acme.com (lower-cased by the service; dedupe key). */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, {
    error: 'must be a domain such as acme.com',
  });

const companyFields = {
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  domain: domainSchema.nullable().optional(),
  website: z.url({ error: 'must be a URL' }).max(500).nullable().optional(),
  industry: optionalText(100),
  employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
  country: countrySchema.nullable().optional(),
  phone: optionalText(40),
  ownerId: z.string().max(64).nullable().optional(),
  teamId: z.string().max(64).nullable().optional(),
  tags: tagsSchema.optional(),
  custom: customValuesSchema.optional(),
};

export const companyCreateSchema = z.strictObject(companyFields);
export type CompanyCreate = z.infer<typeof companyCreateSchema>;
export const companyUpdateSchema = z.strictObject(companyFields).partial();
export type CompanyUpdate = z.infer<typeof companyUpdateSchema>;

export const companySortSchema = z.enum(['createdAt', 'updatedAt', 'name']).default('createdAt');
export const companyListQuerySchema = z.strictObject({ ...recordListBase, sort: companySortSchema });
export type CompanyListQuery = z.infer<typeof companyListQuerySchema>;
