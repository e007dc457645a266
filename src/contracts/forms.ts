import { z } from 'zod';
import { limitSchema } from './common.ts';
import { tagsSchema } from './records.ts';

/**
 * Web forms: the API shapes the form builder uses (`/api/forms…`) and the public submission
 * shapes (`/f/:formId`). See docs/forms.md for embedding.
 */

export const FORM_LOCALES = ['en', 'zh-CN'] as const;
export type FormLocale = (typeof FORM_LOCALES)[number];

/** Text in one or both UI languages; a missing language falls back to the other one. */
export const localizedTextSchema = (max: number) =>
  z
    .strictObject({
      en: z.string().trim().min(1).max(max).optional(),
      'zh-CN': z.string().trim().min(1).max(max).optional(),
    })
    .refine((t) => Boolean(t.en || t['zh-CN']), { error: 'needs a text in en or zh-CN' });
export type LocalizedTextDto = { en?: string | undefined; 'zh-CN'?: string | undefined };

/**
 * What a form field fills. Contact fields by name; `company` is the company's name (the contact is
 * linked to an existing company with that name or domain, or a new one); `company.*` are fields of
 * that company; `custom.<key>` is a contact custom field that must be defined in the workspace.
 */
export const CONTACT_TARGETS = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'title',
  'country',
  'language',
] as const;
export const COMPANY_TARGETS = [
  'company',
  'company.domain',
  'company.website',
  'company.industry',
  'company.employees',
] as const;
export type BuiltInTarget = (typeof CONTACT_TARGETS)[number] | (typeof COMPANY_TARGETS)[number];
export const BUILT_IN_TARGETS: readonly BuiltInTarget[] = [...CONTACT_TARGETS, ...COMPANY_TARGETS];
export const CUSTOM_TARGET = /^custom\.[a-z][a-z0-9_]{0,39}$/;

export const formTargetSchema = z
  .string()
  .max(47)
  .refine((t) => (BUILT_IN_TARGETS as readonly string[]).includes(t) || CUSTOM_TARGET.test(t), {
    error: `is not a known target: use ${BUILT_IN_TARGETS.join(', ')} or custom.<key>`,
  });

/**
 * The input type the hosted page renders, derived from the target (never chosen by the builder):
 * select fields carry `options` (country and language: ISO codes the page names in its language).
 */
export const formFieldTypeSchema = z.enum([
  'email',
  'text',
  'tel',
  'url',
  'number',
  'date',
  'select',
  'checkboxes',
  'checkbox',
]);
export type FormFieldType = z.infer<typeof formFieldTypeSchema>;

export const formFieldInputSchema = z.strictObject({
  target: formTargetSchema,
  /** Defaults to a built-in label (both languages) or the custom field's label. */
  label: localizedTextSchema(200).nullable().optional(),
  placeholder: localizedTextSchema(200).nullable().optional(),
  required: z.boolean().default(false),
});
export type FormFieldInput = z.input<typeof formFieldInputSchema>;

export const formFieldSchema = z.object({
  target: z.string(),
  /** The label as stored (null: the default), and `displayLabel` as shown in each language. */
  label: z.record(z.string(), z.string()).nullable(),
  displayLabel: z.object({ en: z.string(), 'zh-CN': z.string() }),
  placeholder: z.record(z.string(), z.string()).nullable(),
  required: z.boolean(),
  type: formFieldTypeSchema,
  options: z.array(z.string()),
  /** False when the custom field was deleted after the form was made: the page leaves it out. */
  available: z.boolean(),
});
export type FormFieldDto = z.infer<typeof formFieldSchema>;

export const formConsentSchema = z.strictObject({
  /** A required consent must be ticked to submit; an optional one records the answer either way. */
  required: z.boolean(),
  /** The exact text shown next to the checkbox; stored verbatim with every answer. */
  text: localizedTextSchema(2000),
});

const httpUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000, { error: 'must be at most 2000 characters' });

export const formSuccessSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('message'), message: localizedTextSchema(2000).nullable().optional() }),
  z.strictObject({ kind: z.literal('redirect'), url: httpUrlSchema }),
]);

export const formStatusSchema = z.enum(['active', 'archived']);

const formFields = {
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  /** Heading of the hosted page (optional). */
  title: localizedTextSchema(200).nullable().optional(),
  submitLabel: localizedTextSchema(60).nullable().optional(),
  /** In display order; one must target `email` and be required; each target at most once. */
  fields: z.array(formFieldInputSchema).min(1).max(50),
  consent: formConsentSchema.nullable().optional(),
  /** The campaign every submission's touch is attributed to (plain id: campaigns come later). */
  campaignId: z.string().trim().min(1).max(64).nullable().optional(),
  /** A quote/demo request: submissions carry `handRaise: true` in the touch metadata. */
  handRaise: z.boolean().optional(),
  /** Tags added to the contact on every submission. */
  tags: tagsSchema.optional(),
  success: formSuccessSchema.optional(),
  status: formStatusSchema.optional(),
};

export const formCreateSchema = z.strictObject(formFields);
export type FormCreate = z.infer<typeof formCreateSchema>;
/** Any subset; `fields` given replaces the whole list. */
export const formUpdateSchema = z.strictObject(formFields).partial();
export type FormUpdate = z.infer<typeof formUpdateSchema>;

export const formSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: formStatusSchema,
  title: z.record(z.string(), z.string()).nullable(),
  submitLabel: z.record(z.string(), z.string()).nullable(),
  fields: z.array(formFieldSchema),
  consent: z.object({ required: z.boolean(), text: z.record(z.string(), z.string()) }).nullable(),
  campaignId: z.string().nullable(),
  handRaise: z.boolean(),
  tags: z.array(z.string()),
  success: z.union([
    z.object({ kind: z.literal('message'), message: z.record(z.string(), z.string()).nullable() }),
    z.object({ kind: z.literal('redirect'), url: z.string() }),
  ]),
  /** Path of the hosted page, relative to the server (`/f/<id>`). */
  hostedPath: z.string(),
  stats: z.object({
    submissions: z.number().int(),
    /** Submissions dropped as spam (honeypot filled, too fast, missing or forged token). */
    spamDropped: z.number().int(),
    lastSubmissionAt: z.string().nullable(),
  }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FormDto = z.infer<typeof formSchema>;

export const formListQuerySchema = z.strictObject({
  status: formStatusSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type FormListQuery = z.infer<typeof formListQuerySchema>;

export const formEmbedQuerySchema = z.strictObject({
  /** The server's public origin as the browser sees it (defaults to the request's host). */
  origin: z
    .url({ protocol: /^https?$/, error: 'must be an http or https origin' })
    .max(300)
    .transform((u) => new URL(u).origin)
    .optional(),
});

export const formEmbedSchema = z.object({
  formId: z.string(),
  /** The hosted page. */
  url: z.string(),
  /** Recommended: a script tag that inserts an auto-sizing iframe and passes the page's UTM and referrer. */
  script: z.string(),
  /** Without JavaScript: a fixed-height iframe (UTM of the host page is not passed). */
  iframe: z.string(),
});
export type FormEmbedDto = z.infer<typeof formEmbedSchema>;

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

export const formSubmissionSchema = z.object({
  id: z.string(),
  formId: z.string(),
  contactId: z.string(),
  /** Whether this submission created the contact (false: an existing contact was updated). */
  contactCreated: z.boolean(),
  touchId: z.string().nullable(),
  /** The submitted values by target, as received after trimming. */
  values: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])),
  utm: z.record(z.string(), z.string()),
  referrer: z.string().nullable(),
  pageUrl: z.string().nullable(),
  locale: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  consent: z.object({ granted: z.boolean(), text: z.string(), locale: z.string() }).nullable(),
  createdAt: z.string(),
});
export type FormSubmissionDto = z.infer<typeof formSubmissionSchema>;

export const formSubmissionListQuerySchema = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

/**
 * `POST /f/:formId` takes one flat object, as `application/x-www-form-urlencoded` (the hosted page)
 * or JSON, with these names besides the field targets (`email`, `custom.size`, …):
 * `_token` (the signed render time from the page), `_consent` (any non-empty value: ticked),
 * `_lang`, `_embed`, `utm_source` … `utm_content`, `_referrer`, `_page`, and `homepage`, the
 * honeypot, which must stay empty. JSON callers get {@link publicSubmitResultSchema} or a 400 with
 * `fields` keyed by target; a dropped spam submission gets the same 200 as a real one.
 */
export const HONEYPOT_FIELD = 'homepage';

export const publicSubmitResultSchema = z.object({
  ok: z.literal(true),
  message: z.string().nullable(),
  redirectUrl: z.string().nullable(),
});
export type PublicSubmitResult = z.infer<typeof publicSubmitResultSchema>;
