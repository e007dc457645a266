import { z } from 'zod';
import { emailSchema } from './common.ts';
import { countrySchema, customValuesSchema, optionalText, recordListBase, tagsSchema } from './records.ts';

export const contactSchema = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  companyId: z.string().nullable(),
  companyName: z.string().nullable(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  country: z.string().nullable(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  custom: customValuesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type ContactDto = z.infer<typeof contactSchema>;

const contactFields = {
  firstName: optionalText(100),
  lastName: optionalText(100),
  email: emailSchema.nullable().optional(),
  phone: optionalText(40),
  title: optionalText(120),
  companyId: z.string().max(64).nullable().optional(),
  ownerId: z.string().max(64).nullable().optional(),
  teamId: z.string().max(64).nullable().optional(),
  country: countrySchema.nullable().optional(),
  language: z.string().max(10).nullable().optional(),
  tags: tagsSchema.optional(),
  custom: customValuesSchema.optional(),
};

/** A contact needs at least a name or an e-mail. */
export const contactCreateSchema = z
  .strictObject(contactFields)
  .refine((c) => Boolean(c.firstName || c.lastName || c.email), {
    error: 'a contact needs a first name, last name or e-mail',
    path: ['email'],
  });
export type ContactCreate = z.infer<typeof contactCreateSchema>;

export const contactUpdateSchema = z.strictObject(contactFields);
export type ContactUpdate = z.infer<typeof contactUpdateSchema>;

export const contactSortSchema = z.enum(['createdAt', 'updatedAt', 'name', 'email']).default('createdAt');

export const contactListQuerySchema = z.strictObject({
  ...recordListBase,
  companyId: z.string().max(64).optional(),
  sort: contactSortSchema,
});
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;

/** `GET /api/companies/:id/contacts`: the contact list query without `companyId` (the path gives it). */
export const companyContactsQuerySchema = contactListQuerySchema.omit({ companyId: true });
export type CompanyContactsQuery = z.infer<typeof companyContactsQuerySchema>;
