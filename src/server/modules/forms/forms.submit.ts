import type { Transaction } from 'kysely';
import { type FormLocale, HONEYPOT_FIELD, UTM_KEYS } from '../../../contracts/forms.ts';
import type { CustomValues, Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { newId } from '../../lib/ids.ts';
import { findLiveIdByDomain, insertCompany } from '../companies/companies.repo.ts';
import { insertContact, updateContact } from '../contacts/contacts.repo.ts';
import { isUniqueViolation } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { ensureTouchPartitions, writeTouches } from '../touches/touches.service.ts';
import {
  CAPTURE_FIELDS,
  type CleanValue,
  cleanValue,
  domainOf,
  type FieldProblem,
  PROBLEM_TEXT,
  pick,
  type RawValue,
  type RawValues,
  resolveField,
} from './forms.fields.ts';
import { negotiateLocale, type PageForm, type PageState } from './forms.render.ts';
import * as repo from './forms.repo.ts';
import { customDefs } from './forms.service.ts';
import { checkFillToken, signFillToken } from './forms.token.ts';

export interface PublicForm {
  row: repo.FormRow & { default_locale: string };
  page: PageForm;
}

/** An active form for the public pages (archived and unknown ids are both undefined: a 404). */
export async function loadPublicForm(ctx: AppContext, formId: string): Promise<PublicForm | undefined> {
  const row = await repo.findActiveFormById(ctx.db, formId);
  if (!row) return undefined;
  const defs = await customDefs(ctx.db, row.workspace_id);
  return {
    row,
    page: {
      id: row.id,
      name: row.name,
      title: row.title,
      submitLabel: row.submit_label,
      fields: row.fields.map((f) => resolveField(f, defs)),
      consent: row.consent,
    },
  };
}

/** A fresh fill-time token for a page rendered now. */
export async function issueToken(ctx: AppContext, form: PublicForm): Promise<string> {
  const secret = await repo.formSecret(ctx.db, form.row.workspace_id);
  return signFillToken(secret, form.row.id, ctx.clock.now());
}

function first(v: RawValue | undefined, max = 2000): string {
  const s = (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
  return s.slice(0, max);
}

/** The capture fields from a query string or a body, trimmed and bounded. */
export function captureFrom(source: RawValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CAPTURE_FIELDS) {
    const v = first(source[name], name.startsWith('utm_') ? 200 : 2000);
    if (v) out[name] = v;
  }
  return out;
}

export interface SubmitMeta {
  ip: string | null;
  userAgent: string | null;
  acceptLanguage: string | undefined;
}

export type SubmitOutcome =
  | { kind: 'accepted'; locale: FormLocale; spam: false; submissionId: string; contactId: string }
  | { kind: 'accepted'; locale: FormLocale; spam: true; reason: string }
  | {
      kind: 'invalid';
      locale: FormLocale;
      state: PageState;
      /** English messages by field name, for JSON callers. */
      fields: Record<string, string>;
    };

/**
 * Handles one submission. Spam (honeypot filled; token missing, forged or under the minimum fill
 * time) is counted on the form and otherwise dropped: the caller answers as if it were accepted.
 * Invalid values write nothing and come back with a problem per field. A valid submission upserts
 * the contact by e-mail, links or creates its company, records consent, the submission and a
 * `form_submit` touch, all in one transaction.
 */
export async function submitForm(
  ctx: AppContext,
  form: PublicForm,
  body: RawValues,
  meta: SubmitMeta,
): Promise<SubmitOutcome> {
  const { row } = form;
  const locale = negotiateLocale(first(body._lang, 10) || undefined, meta.acceptLanguage, row.default_locale);
  const hidden = captureFrom(body);

  if (first(body[HONEYPOT_FIELD]) !== '') return spam(ctx, form, locale, 'honeypot');
  const secret = await repo.formSecret(ctx.db, row.workspace_id);
  const token = first(body._token, 200);
  const now = ctx.clock.now();
  const { verdict } = checkFillToken(secret, row.id, token || undefined, now);
  if (verdict === 'missing' || verdict === 'forged' || verdict === 'too_fast')
    return spam(ctx, form, locale, verdict);

  const values = new Map<string, CleanValue>();
  const errors: Record<string, FieldProblem> = {};
  for (const f of form.page.fields) {
    if (!f.available) continue;
    const checked = cleanValue(f, body[f.target]);
    if (checked.problem) errors[f.target] = checked.problem;
    else if (checked.value !== undefined) values.set(f.target, checked.value);
  }
  const consentGiven = first(body._consent) !== '';
  if (row.consent?.required && !consentGiven) errors._consent = 'required';

  if (verdict === 'expired' || Object.keys(errors).length) {
    const echo: RawValues = {};
    for (const f of form.page.fields) echo[f.target] = body[f.target];
    if (consentGiven) echo._consent = 'yes';
    return {
      kind: 'invalid',
      locale,
      state: {
        locale,
        token: verdict === 'expired' ? signFillToken(secret, row.id, now) : token,
        values: echo,
        errors,
        formError: verdict === 'expired' ? 'expired' : undefined,
        hidden,
      },
      fields:
        verdict === 'expired'
          ? { _token: 'has expired: load the form again' }
          : Object.fromEntries(Object.entries(errors).map(([k, p]) => [k, PROBLEM_TEXT[p].en])),
    };
  }

  const raw: Record<string, string | string[] | boolean> = {};
  for (const f of form.page.fields) {
    const v = body[f.target];
    if (!f.available || v === undefined) continue;
    raw[f.target] = Array.isArray(v) ? v.map((s) => s.trim()).slice(0, 200) : v.trim();
  }
  if (row.consent) raw._consent = consentGiven;

  await ensureTouchPartitions(ctx, [now]);
  const input: WriteInput = { form, values, raw, hidden, locale, consentGiven, meta, at: now };
  // A lost race on the contact's e-mail (or a company's domain) retries: the rerun finds the winner's row.
  for (let attempt = 0; ; attempt++) {
    try {
      const written = await ctx.db.transaction().execute((trx) => write(trx, ctx, input));
      return { kind: 'accepted', locale, spam: false, ...written };
    } catch (err) {
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function spam(
  ctx: AppContext,
  form: PublicForm,
  locale: FormLocale,
  reason: string,
): Promise<SubmitOutcome> {
  await repo.countSpam(ctx.db, form.row.workspace_id, form.row.id);
  return { kind: 'accepted', locale, spam: true, reason };
}

interface WriteInput {
  form: PublicForm;
  values: Map<string, CleanValue>;
  raw: Record<string, string | string[] | boolean>;
  hidden: Record<string, string>;
  locale: FormLocale;
  consentGiven: boolean;
  meta: SubmitMeta;
  at: Date;
}

const CONTACT_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  title: 'title',
  country: 'country',
  language: 'language',
} as const;

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

async function write(
  trx: Transaction<Database>,
  ctx: AppContext,
  input: WriteInput,
): Promise<{ submissionId: string; contactId: string }> {
  const { form, values, at, meta } = input;
  const ws = form.row.workspace_id;
  const audit = { workspaceId: ws, actorUserId: null, actorLabel: `form:${form.row.id}`, ip: meta.ip, at };
  const email = String(values.get('email'));
  const existing = await repo.lockLiveContactByEmail(trx, ws, email);

  const company = existing?.company_id ? undefined : await linkCompany(trx, input, audit);

  const custom: CustomValues = {};
  const multi = new Set<string>();
  for (const f of form.page.fields) {
    const v = values.get(f.target);
    if (!f.custom || v === undefined) continue;
    custom[f.custom.key] = v;
    if (f.type === 'checkboxes') multi.add(f.custom.key);
  }

  let contactId: string;
  let created = false;
  if (!existing) {
    const text = (t: keyof typeof CONTACT_COLUMNS) => {
      const v = values.get(t);
      return v === undefined ? null : String(v);
    };
    const row = await insertContact(trx, {
      workspace_id: ws,
      id: newId('ctc', at.getTime()),
      first_name: text('firstName'),
      last_name: text('lastName'),
      email,
      phone: text('phone'),
      title: text('title'),
      company_id: company?.id ?? null,
      company_name: company?.name ?? null,
      owner_id: null,
      team_id: null,
      country: text('country'),
      language: text('language'),
      tags: form.row.tags,
      custom,
      at,
    });
    contactId = row.id;
    created = true;
    const snapshot: Record<string, unknown> = { email, source: 'form', formId: form.row.id };
    for (const [k, col] of Object.entries(CONTACT_COLUMNS)) if (row[col] !== null) snapshot[k] = row[col];
    if (company) snapshot.companyId = company.id;
    if (row.tags.length) snapshot.tags = row.tags;
    if (Object.keys(custom).length) snapshot.custom = custom;
    await appendAudit(trx, {
      ...audit,
      action: 'create',
      entityType: 'contact',
      entityId: row.id,
      diff: snapshot,
    });
  } else {
    contactId = existing.id;
    // Fill blanks only: what the contact already has is never overwritten by form data.
    const patch: Parameters<typeof updateContact>[3] = {};
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, col] of Object.entries(CONTACT_COLUMNS)) {
      const v = values.get(k);
      if (v !== undefined && isBlank(existing[col])) {
        patch[col] = String(v);
        diff[k] = { from: existing[col], to: String(v) };
      }
    }
    if (company) {
      patch.company_id = company.id;
      patch.company_name = company.name;
      diff.companyId = { from: null, to: company.id };
    }
    const nextCustom: CustomValues = { ...existing.custom };
    for (const [key, v] of Object.entries(custom)) {
      const had = existing.custom[key];
      let next = v;
      if (multi.has(key) && Array.isArray(had) && Array.isArray(v)) next = [...new Set([...had, ...v])];
      else if (!isBlank(had)) continue;
      if (JSON.stringify(had) === JSON.stringify(next)) continue;
      nextCustom[key] = next;
      diff[`custom.${key}`] = { from: had ?? null, to: next };
    }
    if (Object.keys(nextCustom).some((k) => diff[`custom.${k}`])) patch.custom = nextCustom;
    const tags = [...new Set([...existing.tags, ...form.row.tags])];
    if (tags.length !== existing.tags.length) {
      patch.tags = tags;
      diff.tags = { from: existing.tags, to: tags };
    }
    if (Object.keys(patch).length) {
      await updateContact(trx, ws, existing.id, patch, at);
      await appendAudit(trx, {
        ...audit,
        action: 'update',
        entityType: 'contact',
        entityId: existing.id,
        diff,
      });
    }
  }

  const submissionId = newId('fsub', at.getTime());
  const touchId = newId('tch', at.getTime());
  const utm: Record<string, string> = {};
  for (const k of UTM_KEYS) {
    const v = input.hidden[`utm_${k}`];
    if (v) utm[k] = v;
  }
  const referrer = input.hidden._referrer ?? null;
  const pageUrl = input.hidden._page ?? null;
  await repo.insertSubmission(trx, {
    workspace_id: ws,
    id: submissionId,
    form_id: form.row.id,
    contact_id: contactId,
    contact_created: created,
    touch_id: touchId,
    data: JSON.stringify(input.raw),
    utm: JSON.stringify(utm),
    referrer,
    page_url: pageUrl,
    locale: input.locale,
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    created_at: at,
  });
  if (form.row.consent) {
    // The exact text the visitor saw: the page's language, or the other one when that is missing.
    const shownLocale: FormLocale = form.row.consent.text[input.locale]
      ? input.locale
      : input.locale === 'en'
        ? 'zh-CN'
        : 'en';
    await repo.insertConsent(trx, {
      workspace_id: ws,
      id: newId('cns', at.getTime()),
      contact_id: contactId,
      form_id: form.row.id,
      submission_id: submissionId,
      text: pick(form.row.consent.text, input.locale) ?? '',
      locale: shownLocale,
      granted: input.consentGiven,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
      created_at: at,
    });
  }
  const contactCompany = existing?.company_id ?? company?.id ?? null;
  const metadata: Record<string, unknown> = { formId: form.row.id, submissionId };
  if (form.row.hand_raise) metadata.handRaise = true;
  if (utm.term) metadata.utmTerm = utm.term;
  if (utm.content) metadata.utmContent = utm.content;
  if (pageUrl) metadata.pageUrl = pageUrl;
  // The first touch of a contact sets its source (once): this form's campaign, UTM and referrer.
  await writeTouches(
    trx,
    ws,
    [
      {
        id: touchId,
        occurredAt: at,
        contactId,
        companyId: contactCompany,
        campaignId: form.row.campaign_id,
        userId: null,
        type: 'form_submit',
        direction: 'marketing',
        channel: 'web',
        metadata,
        utm: {
          source: utm.source ?? null,
          medium: utm.medium ?? null,
          campaign: utm.campaign ?? null,
          referrer,
        },
      },
    ],
    at,
    ctx,
  );
  await repo.countSubmission(trx, ws, form.row.id, at);
  return { submissionId, contactId };
}

/**
 * The company a new or company-less contact is linked to: found by domain (given, or taken from the
 * website), then by name, else created from the form's company fields. Nothing when the form
 * collected neither a name nor a domain.
 */
async function linkCompany(
  trx: Transaction<Database>,
  input: WriteInput,
  audit: { workspaceId: string; actorUserId: null; actorLabel: string; ip: string | null; at: Date },
): Promise<{ id: string; name: string } | undefined> {
  const { values, at } = input;
  const ws = input.form.row.workspace_id;
  const name = values.get('company') as string | undefined;
  const website = values.get('company.website') as string | undefined;
  const domain =
    (values.get('company.domain') as string | undefined) ?? (website ? domainOf(website) : undefined);
  if (!name && !domain) return undefined;
  if (domain) {
    const id = await findLiveIdByDomain(trx, ws, domain);
    const found = id ? await repo.findLiveCompanyById(trx, ws, id) : undefined;
    if (found) return found;
  }
  if (name) {
    const found = await repo.findLiveCompanyByName(trx, ws, name);
    if (found) return found;
  }
  const employees = values.get('company.employees') as number | undefined;
  const row = await insertCompany(trx, {
    workspace_id: ws,
    id: newId('cmp', at.getTime()),
    name: name ?? domain ?? '',
    domain: domain ?? null,
    website: website ?? null,
    industry: (values.get('company.industry') as string | undefined) ?? null,
    employees: employees ?? null,
    country: (values.get('country') as string | undefined) ?? null,
    phone: null,
    owner_id: null,
    team_id: null,
    tags: [],
    custom: {},
    at,
  });
  const diff: Record<string, unknown> = { name: row.name, source: 'form', formId: input.form.row.id };
  for (const k of ['domain', 'website', 'industry', 'employees', 'country'] as const)
    if (row[k] !== null) diff[k] = row[k];
  await appendAudit(trx, { ...audit, action: 'create', entityType: 'company', entityId: row.id, diff });
  return { id: row.id, name: row.name };
}
