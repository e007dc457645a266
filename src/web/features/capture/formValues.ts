import type { FormInstance } from 'antd';
import type { FormCreate, FormDto, FormLocale } from '../../../contracts/forms.ts';
import { ApiError } from '../../app/api.ts';

export type Localized = Partial<Record<FormLocale, string>>;

export interface BuilderField {
  target: string;
  label?: Localized;
  placeholder?: Localized;
  required?: boolean;
}

/** The builder's form values: the API's shape, plus switches the API expresses as null. */
export interface BuilderValues {
  name: string;
  title?: Localized;
  submitLabel?: Localized;
  fields: BuilderField[];
  consentOn: boolean;
  consent?: { required?: boolean; text?: Localized };
  success: { kind: 'message' | 'redirect'; message?: Localized; url?: string };
  campaignId?: string;
  handRaise?: boolean;
  tags?: string[];
}

export const NEW_FORM: BuilderValues = {
  name: '',
  fields: [
    { target: 'email', required: true },
    { target: 'firstName', required: false },
    { target: 'lastName', required: false },
    { target: 'company', required: false },
  ],
  consentOn: false,
  consent: { required: true },
  success: { kind: 'message' },
  handRaise: false,
  tags: [],
};

/** Trimmed text per language; null when neither language has any. */
export function localized(l: Localized | null | undefined): { en?: string; 'zh-CN'?: string } | null {
  const out: { en?: string; 'zh-CN'?: string } = {};
  const en = l?.en?.trim();
  const zh = l?.['zh-CN']?.trim();
  if (en) out.en = en;
  if (zh) out['zh-CN'] = zh;
  return en || zh ? out : null;
}

export function toBody(v: BuilderValues): FormCreate {
  return {
    name: v.name.trim(),
    title: localized(v.title),
    submitLabel: localized(v.submitLabel),
    fields: v.fields.map((f) => ({
      target: f.target,
      label: localized(f.label),
      placeholder: localized(f.placeholder),
      required: f.target === 'email' ? true : Boolean(f.required),
    })),
    consent: v.consentOn
      ? { required: Boolean(v.consent?.required), text: localized(v.consent?.text) ?? {} }
      : null,
    campaignId: v.campaignId?.trim() || null,
    handRaise: Boolean(v.handRaise),
    tags: v.tags ?? [],
    success:
      v.success.kind === 'redirect'
        ? { kind: 'redirect', url: v.success.url?.trim() ?? '' }
        : { kind: 'message', message: localized(v.success.message) },
  };
}

export function fromDto(f: FormDto): BuilderValues {
  return {
    name: f.name,
    title: f.title ?? {},
    submitLabel: f.submitLabel ?? {},
    fields: f.fields.map((x) => ({
      target: x.target,
      label: x.label ?? {},
      placeholder: x.placeholder ?? {},
      required: x.required,
    })),
    consentOn: Boolean(f.consent),
    consent: f.consent ? { required: f.consent.required, text: f.consent.text } : { required: true },
    success:
      f.success.kind === 'redirect'
        ? { kind: 'redirect', url: f.success.url }
        : { kind: 'message', message: f.success.message ?? {} },
    campaignId: f.campaignId ?? '',
    handRaise: f.handRaise,
    tags: f.tags,
  };
}

/** Server keys that name a text in two languages: the error goes on its English input. */
const LOCALIZED = /^(title|submitLabel|consent\.text|success\.message|fields\.\d+\.(label|placeholder))$/;
const KNOWN =
  /^(name|campaignId|tags|success\.url|fields\.\d+\.(target|required)|(title|submitLabel|consent\.text|success\.message|fields\.\d+\.(label|placeholder))\.(en|zh-CN))$/;

/**
 * Puts the server's field errors (`fields.2.target`, `consent.text`, …) on the builder's inputs;
 * returns the ones no input shows (e.g. "must include an e-mail field").
 */
export function applyBuilderErrors(form: FormInstance<BuilderValues>, err: unknown): string[] {
  if (!(err instanceof ApiError)) return [];
  const placed: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [raw, problem] of Object.entries(err.fields)) {
    const key = LOCALIZED.test(raw) ? `${raw}.en` : raw;
    if (!KNOWN.test(key)) {
      rest.push(`${raw}: ${problem}`);
      continue;
    }
    const name = key
      .replace('.zh-CN', '.zh_CN')
      .split('.')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p === 'zh_CN' ? 'zh-CN' : p));
    placed.push({ name, errors: [problem] });
  }
  if (placed.length) form.setFields(placed as Parameters<typeof form.setFields>[0]);
  return rest;
}
