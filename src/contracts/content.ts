import { z } from 'zod';

/** The content library: assets (files or links) with versions, and tracked share links. */
export const CONTENT_KINDS = [
  'brochure',
  'presentation',
  'case_study',
  'price_list',
  'catalogue',
  'video',
  'web_page',
] as const;
export const contentKindSchema = z.enum(CONTENT_KINDS);
export const FUNNEL_STAGES = ['awareness', 'consideration', 'decision', 'retention'] as const;
export const funnelStageSchema = z.enum(FUNNEL_STAGES);

const label = (max: number) => z.string().trim().min(1).max(max).nullable().optional();
const httpUrl = z
  .url({ error: 'must be an http(s) URL' })
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), { error: 'must be an http(s) URL' });

/** Descriptive fields of an asset (sent as JSON, or as the `meta` field of a file upload). */
export const contentMetaSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  kind: contentKindSchema,
  product: label(120),
  language: label(10),
  market: label(60),
  funnelStage: funnelStageSchema.nullable().optional(),
});
export type ContentMeta = z.infer<typeof contentMetaSchema>;

export const contentLinkCreateSchema = contentMetaSchema.extend({ url: httpUrl });
export const contentLinkVersionSchema = z.strictObject({
  url: httpUrl,
  note: z.string().trim().max(500).optional(),
});

export const contentVersionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  fileName: z.string().nullable(),
  mime: z.string().nullable(),
  bytes: z.number().nullable(),
  url: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type ContentVersionDto = z.infer<typeof contentVersionSchema>;

export const contentAssetSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: contentKindSchema,
  source: z.enum(['file', 'link']),
  product: z.string().nullable(),
  language: z.string().nullable(),
  market: z.string().nullable(),
  funnelStage: z.string().nullable(),
  currentVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(contentVersionSchema),
});
export type ContentAssetDto = z.infer<typeof contentAssetSchema>;

export const contentListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  kind: contentKindSchema.optional(),
  funnelStage: funnelStageSchema.optional(),
  language: z.string().max(10).optional(),
  product: z.string().max(120).optional(),
  market: z.string().max(60).optional(),
});
export type ContentListQuery = z.infer<typeof contentListQuerySchema>;

export const contentShareCreateSchema = z.strictObject({
  contactId: z.string().min(1).max(64),
  /** The link stops working after this many days (none: it does not expire). */
  expiresInDays: z.int().min(1).max(365).optional(),
});
export const contentShareSchema = z.object({
  id: z.string(),
  assetId: z.string(),
  contactId: z.string(),
  /** The path to hand out, e.g. `/c/AbC…` (prefix it with the server's public address). */
  path: z.string(),
  expiresAt: z.string().nullable(),
  views: z.number().int(),
  createdAt: z.string(),
});
export type ContentShareDto = z.infer<typeof contentShareSchema>;
