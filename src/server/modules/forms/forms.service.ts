import type {
  FormCreate,
  FormDto,
  FormEmbedDto,
  FormListQuery,
  FormSubmissionDto,
  FormUpdate,
} from '../../../contracts/forms.ts';
import type { CustomFieldRow, FormFieldDef, LocalizedText } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Db } from '../contacts/records.repo.ts';
import { fieldsFor } from '../customfields/customfields.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { resolveField } from './forms.fields.ts';
import { escapeHtml } from './forms.render.ts';
import * as repo from './forms.repo.ts';

const ENTITY = 'form';

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}

/** Contact custom field definitions by key (form targets are `custom.<key>`). */
export async function customDefs(db: Db, workspaceId: string): Promise<Map<string, CustomFieldRow>> {
  return new Map((await fieldsFor(db, workspaceId, 'contact')).map((d) => [d.key, d]));
}

export function toFormDto(r: repo.FormRow, defs: Map<string, CustomFieldRow>): FormDto {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    title: clean(r.title),
    submitLabel: clean(r.submit_label),
    fields: r.fields.map((f) => {
      const resolved = resolveField(f, defs);
      return {
        target: f.target,
        label: clean(f.label),
        displayLabel: resolved.displayLabel,
        placeholder: clean(f.placeholder),
        required: resolved.required,
        type: resolved.type,
        options: [...resolved.options],
        available: resolved.available,
      };
    }),
    consent: r.consent ? { required: r.consent.required, text: clean(r.consent.text) ?? {} } : null,
    campaignId: r.campaign_id,
    handRaise: r.hand_raise,
    tags: r.tags,
    success:
      r.success.kind === 'redirect'
        ? { kind: 'redirect', url: r.success.url }
        : { kind: 'message', message: clean(r.success.message) },
    hostedPath: `/f/${r.id}`,
    stats: {
      submissions: r.submissions,
      spamDropped: r.spam_dropped,
      lastSubmissionAt: r.last_submission_at ? iso(r.last_submission_at) : null,
    },
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Stored localized text without empty languages (JSON has no undefined). */
function clean(t: LocalizedText | null | undefined): Record<string, string> | null {
  if (!t) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t)) if (v) out[k] = v;
  return Object.keys(out).length ? out : null;
}

type FieldInputs = FormCreate['fields'];

/**
 * Checks the field list against the workspace: each target once, custom targets defined, and an
 * e-mail field (the dedupe key of the contact a submission creates or updates; always required).
 */
function checkFields(fields: FieldInputs, defs: Map<string, CustomFieldRow>): FormFieldDef[] {
  const errors: FieldErrors = {};
  const seen = new Map<string, number>();
  fields.forEach((f, i) => {
    const earlier = seen.get(f.target);
    if (earlier !== undefined)
      errors[`fields.${i}.target`] = `repeats ${f.target} (already field ${earlier})`;
    else seen.set(f.target, i);
    if (f.target.startsWith('custom.') && !defs.has(f.target.slice('custom.'.length))) {
      errors[`fields.${i}.target`] ??= `${f.target} is not a defined contact custom field`;
    }
  });
  if (!seen.has('email'))
    errors.fields = 'must include an e-mail field (target email): a form must collect an e-mail';
  if (Object.keys(errors).length) throw new ValidationError('Invalid form definition', errors);
  return fields.map((f) => ({
    target: f.target,
    label: (f.label as LocalizedText | null | undefined) ?? null,
    placeholder: (f.placeholder as LocalizedText | null | undefined) ?? null,
    required: f.target === 'email' ? true : f.required,
  }));
}

/** Creates a form (admins and marketing); 400 naming the field for a bad definition. */
export async function createForm(ctx: AppContext, actor: Actor, input: FormCreate): Promise<FormDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const defs = await customDefs(trx, actor.workspaceId);
    const fields = checkFields(input.fields, defs);
    const at = ctx.clock.now();
    const row = await repo.insertForm(trx, {
      workspace_id: actor.workspaceId,
      id: newId('frm', at.getTime()),
      name: input.name,
      status: input.status ?? 'active',
      title: JSON.stringify(input.title ?? null),
      submit_label: JSON.stringify(input.submitLabel ?? null),
      fields: JSON.stringify(fields),
      consent: JSON.stringify(input.consent ?? null),
      success: JSON.stringify(input.success ?? { kind: 'message', message: null }),
      campaign_id: input.campaignId ?? null,
      hand_raise: input.handRaise ?? false,
      tags: input.tags ?? [],
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    const dto = toFormDto(row, defs);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'create',
      entityType: ENTITY,
      entityId: row.id,
      diff: {
        name: dto.name,
        status: dto.status,
        fields: dto.fields.map((f) => f.target),
        campaignId: dto.campaignId,
        handRaise: dto.handRaise,
      },
      at,
    });
    return dto;
  });
}

/** A form of the actor's workspace; another workspace's form is a 404. */
export async function getForm(ctx: AppContext, actor: Actor, id: string): Promise<FormDto> {
  const row = await repo.findForm(ctx.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError('Form', id);
  return toFormDto(row, await customDefs(ctx.db, actor.workspaceId));
}

/** Newest first; cursor pages. */
export async function listForms(ctx: AppContext, actor: Actor, q: FormListQuery): Promise<Page<FormDto>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listForms(ctx.db, actor.workspaceId, {
    status: q.status,
    beforeId: cursor?.id,
    limit: q.limit + 1,
  });
  const defs = await customDefs(ctx.db, actor.workspaceId);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => toFormDto(r, defs)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
  };
}

/** Changes the given parts of a form (archiving is `status: 'archived'`); audited with the changed keys. */
export async function updateForm(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: FormUpdate,
): Promise<FormDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findForm(trx, actor.workspaceId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Form', id);
    const defs = await customDefs(trx, actor.workspaceId);
    const before = toFormDto(current, defs);
    const patch: repo.FormPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.status !== undefined) patch.status = input.status;
    if (input.title !== undefined) patch.title = JSON.stringify(input.title);
    if (input.submitLabel !== undefined) patch.submit_label = JSON.stringify(input.submitLabel);
    if (input.fields !== undefined) patch.fields = JSON.stringify(checkFields(input.fields, defs));
    if (input.consent !== undefined) patch.consent = JSON.stringify(input.consent);
    if (input.success !== undefined) patch.success = JSON.stringify(input.success);
    if (input.campaignId !== undefined) patch.campaign_id = input.campaignId;
    if (input.handRaise !== undefined) patch.hand_raise = input.handRaise;
    if (input.tags !== undefined) patch.tags = input.tags;
    if (Object.keys(patch).length === 0) return before;
    const at = ctx.clock.now();
    const row = await repo.updateForm(trx, actor.workspaceId, id, { ...patch, updated_at: at });
    const after = toFormDto(row, defs);
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(input) as (keyof FormDto)[]) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        diff[key] = { from: before[key], to: after[key] };
    }
    if (Object.keys(diff).length) {
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'update',
        entityType: ENTITY,
        entityId: id,
        diff,
        at,
      });
    }
    return after;
  });
}

/**
 * The snippets that put a form on another site: a script tag that inserts an auto-sizing iframe
 * (recommended) and a plain iframe for pages without JavaScript.
 */
export async function embedCode(
  ctx: AppContext,
  actor: Actor,
  id: string,
  origin: string,
): Promise<FormEmbedDto> {
  const form = await repo.findForm(ctx.db, actor.workspaceId, id);
  if (!form) throw new NotFoundError('Form', id);
  const url = `${origin}/f/${encodeURIComponent(form.id)}`;
  const title = escapeHtml(form.name);
  return {
    formId: form.id,
    url,
    script: `<script src="${escapeHtml(`${origin}/f/assets/embed.js`)}" data-tandem-form="${escapeHtml(form.id)}" async></script>`,
    iframe: `<iframe src="${escapeHtml(`${url}?embed=1`)}" title="${title}" width="100%" height="720" style="border:0;max-width:640px" loading="lazy"></iframe>`,
  };
}

/** A form's submissions, newest first (admins and marketing). */
export async function listSubmissions(
  ctx: AppContext,
  actor: Actor,
  formId: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<Page<FormSubmissionDto>> {
  if (!(await repo.findForm(ctx.db, actor.workspaceId, formId))) throw new NotFoundError('Form', formId);
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listSubmissions(ctx.db, actor.workspaceId, formId, {
    beforeId: cursor?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({
      id: r.id,
      formId: r.form_id,
      contactId: r.contact_id,
      contactCreated: r.contact_created,
      touchId: r.touch_id,
      values: r.data,
      utm: r.utm,
      referrer: r.referrer,
      pageUrl: r.page_url,
      locale: r.locale,
      ip: r.ip,
      userAgent: r.user_agent,
      consent:
        r.consent_granted === null || r.consent_text === null
          ? null
          : { granted: r.consent_granted, text: r.consent_text, locale: r.consent_locale ?? r.locale },
      createdAt: iso(r.created_at),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
  };
}
