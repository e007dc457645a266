import { z } from 'zod';

export const customFieldTypeSchema = z.enum(['text', 'number', 'date', 'select', 'multi_select', 'boolean']);
export const customFieldEntitySchema = z.enum(['contact', 'company']);

export const customFieldSchema = z.object({
  id: z.string(),
  entity: customFieldEntitySchema,
  key: z.string(),
  label: z.string(),
  type: customFieldTypeSchema,
  options: z.array(z.string()),
  required: z.boolean(),
});
export type CustomFieldDto = z.infer<typeof customFieldSchema>;
export const customFieldListSchema = z.object({ items: z.array(customFieldSchema) });

export const customFieldCreateSchema = z.strictObject({
  entity: customFieldEntitySchema,
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'must be lower-case letters, digits and _' }),
  label: z.string().trim().min(1).max(80),
  type: customFieldTypeSchema,
  options: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
  required: z.boolean().default(false),
});
export type CustomFieldCreate = z.infer<typeof customFieldCreateSchema>;

export const customFieldUpdateSchema = z.strictObject({
  label: z.string().trim().min(1).max(80).optional(),
  options: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
  required: z.boolean().optional(),
});
export type CustomFieldUpdate = z.infer<typeof customFieldUpdateSchema>;

export const customFieldListQuerySchema = z.strictObject({ entity: customFieldEntitySchema.optional() });
export type CustomFieldListQuery = z.infer<typeof customFieldListQuerySchema>;
