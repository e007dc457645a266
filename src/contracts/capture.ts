import { z } from 'zod';
import { MEMBER_STATUSES } from './campaigns.ts';

export const importEntitySchema = z.enum(['contacts', 'companies', 'touches', 'deals']);

const importFields = {
  fileId: z.string().regex(/^upl_[0-9a-z]{26}$/, { error: 'is not an uploaded file id' }),
  entity: importEntitySchema,
  /** Column header (or 1-based column number) → target field; '' leaves the column out. */
  map: z.record(z.string().max(200), z.string().max(60)).optional(),
  /** A constant value for every row, e.g. { source: "Canton Fair 2026" }. */
  set: z.record(z.string().max(60), z.string().max(500)).optional(),
  dateOrder: z.enum(['DMY', 'MDY']).optional(),
  hasHeader: z.boolean().optional(),
};

export const importPreviewRequestSchema = z.strictObject(importFields);

export const importCreateSchema = z.strictObject({
  ...importFields,
  dedupe: z.enum(['skip', 'update', 'create']).default('skip'),
  /** `all`: one invalid row stops the import; `valid`: import the valid rows and report the rest. */
  mode: z.enum(['all', 'valid']).default('all'),
  dryRun: z.boolean().default(false),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  campaignId: z.string().max(64).optional(),
  /** The campaign member status of the imported contacts (default: visited_booth for a trade show, else targeted). */
  memberStatus: z.enum(MEMBER_STATUSES, { error: `must be one of ${MEMBER_STATUSES.join(', ')}` }).optional(),
});
export type ImportCreate = z.infer<typeof importCreateSchema>;

export const uploadSchema = z.object({ fileId: z.string(), fileName: z.string(), bytes: z.number().int() });

export const importPreviewSchema = z.object({
  format: z.string(),
  encoding: z.string(),
  delimiter: z.string(),
  hasHeader: z.boolean(),
  columns: z.array(z.string()),
  mapping: z.array(z.string().nullable()),
  fields: z.array(z.string()),
  dateOrder: z.enum(['DMY', 'MDY', 'ambiguous', 'conflict']).nullable(),
  rows: z.array(
    z.object({ rowNumber: z.number(), cells: z.array(z.string().nullable()), error: z.string().nullable() }),
  ),
});
export type ImportPreviewDto = z.infer<typeof importPreviewSchema>;

export const importSchema = z.object({
  id: z.string(),
  entity: importEntitySchema,
  fileName: z.string(),
  status: z.enum(['pending', 'staging', 'merging', 'completed', 'validated', 'failed']),
  /** 0–100, from bytes read (CSV) or rows seen. */
  progress: z.number(),
  rowsSeen: z.number().int(),
  rowsValid: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  error: z.string().nullable(),
  dryRun: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportDto = z.infer<typeof importSchema>;
