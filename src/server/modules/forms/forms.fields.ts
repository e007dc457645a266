import {
  type BuiltInTarget,
  type FormFieldType,
  type FormLocale,
  UTM_KEYS,
} from '../../../contracts/forms.ts';
import type { CustomFieldRow, FormFieldDef, LocalizedText } from '../../db/types.ts';

/** Hidden capture fields every page carries (filled by form.js, the embed loader or the GET query). */
export const CAPTURE_FIELDS: readonly string[] = [
  ...UTM_KEYS.map((k) => `utm_${k}`),
  '_referrer',
  '_page',
  '_embed',
];

/** What each target is: its input type, limits, browser autofill hint and default labels. */
export interface TargetSpec {
  type: FormFieldType;
  max?: number;
  autocomplete?: string;
  label: Record<FormLocale, string>;
  options?: readonly string[];
}

/** ISO 3166-1 alpha-2 codes; the page names them with Intl.DisplayNames in its language. */
export const COUNTRY_CODES =
  `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP
MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE
RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/);

/** Languages a contact commonly speaks (BCP 47 codes), as the contacts screens offer them. */
export const LANGUAGE_CODES =
  `ar bn cs da de el en es fa fi fr he hi hu id it ja ko ms nl no pl pt ro ru sk sv sw th tl
tr uk ur vi zh zh-Hans zh-Hant`.split(/\s+/);

export const BUILT_IN_SPECS: Record<BuiltInTarget, TargetSpec> = {
  email: { type: 'email', max: 254, autocomplete: 'email', label: { en: 'E-mail', 'zh-CN': '电子邮箱' } },
  firstName: {
    type: 'text',
    max: 100,
    autocomplete: 'given-name',
    label: { en: 'First name', 'zh-CN': '名' },
  },
  lastName: {
    type: 'text',
    max: 100,
    autocomplete: 'family-name',
    label: { en: 'Last name', 'zh-CN': '姓' },
  },
  phone: { type: 'tel', max: 40, autocomplete: 'tel', label: { en: 'Phone', 'zh-CN': '电话' } },
  title: {
    type: 'text',
    max: 120,
    autocomplete: 'organization-title',
    label: { en: 'Job title', 'zh-CN': '职位' },
  },
  country: {
    type: 'select',
    autocomplete: 'country',
    label: { en: 'Country', 'zh-CN': '国家/地区' },
    options: COUNTRY_CODES,
  },
  language: { type: 'select', label: { en: 'Language', 'zh-CN': '语言' }, options: LANGUAGE_CODES },
  company: {
    type: 'text',
    max: 200,
    autocomplete: 'organization',
    label: { en: 'Company', 'zh-CN': '公司' },
  },
  'company.domain': { type: 'text', max: 253, label: { en: 'Company domain', 'zh-CN': '公司域名' } },
  'company.website': {
    type: 'url',
    max: 500,
    autocomplete: 'url',
    label: { en: 'Website', 'zh-CN': '公司网站' },
  },
  'company.industry': { type: 'text', max: 100, label: { en: 'Industry', 'zh-CN': '行业' } },
  'company.employees': { type: 'number', label: { en: 'Number of employees', 'zh-CN': '员工人数' } },
};

const CUSTOM_TYPE: Record<CustomFieldRow['type'], FormFieldType> = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'select',
  multi_select: 'checkboxes',
  boolean: 'checkbox',
};

/** A form field with everything the page and the validator need, resolved against today's custom fields. */
export interface ResolvedField extends FormFieldDef {
  type: FormFieldType;
  options: readonly string[];
  max: number | undefined;
  autocomplete: string | undefined;
  displayLabel: Record<FormLocale, string>;
  /** The custom field definition when the target is `custom.<key>`. */
  custom: CustomFieldRow | undefined;
  available: boolean;
}

export function isBuiltIn(target: string): target is BuiltInTarget {
  return target in BUILT_IN_SPECS;
}

/** The text in a language, falling back to the other language. */
export function pick(text: LocalizedText | null | undefined, locale: FormLocale): string | undefined {
  if (!text) return undefined;
  return text[locale] ?? text[locale === 'en' ? 'zh-CN' : 'en'];
}

export function resolveField(def: FormFieldDef, customDefs: Map<string, CustomFieldRow>): ResolvedField {
  if (isBuiltIn(def.target)) {
    const spec = BUILT_IN_SPECS[def.target];
    return {
      ...def,
      // The e-mail is the dedupe key: a form without it cannot upsert a contact.
      required: def.target === 'email' ? true : def.required,
      type: spec.type,
      options: spec.options ?? [],
      max: spec.max,
      autocomplete: spec.autocomplete,
      displayLabel: {
        en: pick(def.label, 'en') ?? spec.label.en,
        'zh-CN': pick(def.label, 'zh-CN') ?? spec.label['zh-CN'],
      },
      custom: undefined,
      available: true,
    };
  }
  const custom = customDefs.get(def.target.slice('custom.'.length));
  return {
    ...def,
    type: custom ? CUSTOM_TYPE[custom.type] : 'text',
    options: custom?.options ?? [],
    max: custom?.type === 'text' ? 2000 : undefined,
    autocomplete: undefined,
    displayLabel: {
      en: pick(def.label, 'en') ?? custom?.label ?? def.target,
      'zh-CN': pick(def.label, 'zh-CN') ?? custom?.label ?? def.target,
    },
    custom,
    available: Boolean(custom),
  };
}

export type RawValue = string | string[];
export type RawValues = Record<string, RawValue | undefined>;

/** Why a value was refused; the page words it in its language, JSON callers get the English text. */
export type FieldProblem =
  | 'required'
  | 'email'
  | 'too_long'
  | 'choice'
  | 'number'
  | 'date'
  | 'url'
  | 'domain'
  | 'phone';

export const PROBLEM_TEXT: Record<FieldProblem, Record<FormLocale, string>> = {
  required: { en: 'is required', 'zh-CN': '此项为必填' },
  email: { en: 'must be a valid e-mail address', 'zh-CN': '请输入有效的电子邮箱地址' },
  too_long: { en: 'is too long', 'zh-CN': '内容过长' },
  choice: { en: 'must be one of the offered choices', 'zh-CN': '请从给出的选项中选择' },
  number: { en: 'must be a whole number', 'zh-CN': '请输入整数' },
  date: { en: 'must be a date (YYYY-MM-DD)', 'zh-CN': '请输入日期（YYYY-MM-DD）' },
  url: { en: 'must be a web address', 'zh-CN': '请输入有效的网址' },
  domain: { en: 'must be a domain such as acme.com', 'zh-CN': '请输入域名，例如 acme.com' },
  phone: { en: 'must be a phone number', 'zh-CN': '请输入有效的电话号码' },
};

export type CleanValue = string | number | boolean | string[];

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function first(v: RawValue | undefined): string {
  const s = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  return s.trim();
}

/** A bare host from what people type as a domain or website (`https://www.acme.com/x` → acme.com). */
export function domainOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\./, '');
}

function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * One submitted value against its field: the clean value (undefined: left empty) or a problem.
 * A checkbox is true when ticked and empty otherwise (an unticked box sets nothing).
 */
export function cleanValue(
  f: ResolvedField,
  raw: RawValue | undefined,
): { value?: CleanValue; problem?: FieldProblem } {
  if (f.type === 'checkboxes') {
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length === 0) return f.required ? { problem: 'required' } : {};
    if (list.some((v) => !f.options.includes(v))) return { problem: 'choice' };
    return { value: [...new Set(list)] };
  }
  const text = first(raw);
  if (f.type === 'checkbox') {
    const ticked = text !== '' && text !== 'false' && text !== '0';
    if (!ticked) return f.required ? { problem: 'required' } : {};
    return { value: true };
  }
  if (text === '') return f.required ? { problem: 'required' } : {};
  if (f.max !== undefined && text.length > f.max) return { problem: 'too_long' };
  switch (f.type) {
    case 'email':
      return EMAIL_RE.test(text) ? { value: text } : { problem: 'email' };
    case 'tel':
      return (text.match(/\d/g)?.length ?? 0) >= 3 && /^[\d\s+().\-/#*x]+$/i.test(text)
        ? { value: text }
        : { problem: 'phone' };
    case 'url': {
      const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
      try {
        const u = new URL(withScheme);
        if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.'))
          return { value: u.toString() };
      } catch {
        // not a URL
      }
      return { problem: 'url' };
    }
    case 'number': {
      const n = Number(text.replace(/[\s,]/g, ''));
      if (!Number.isFinite(n)) return { problem: 'number' };
      if (f.target === 'company.employees' && (!Number.isInteger(n) || n < 0 || n > 10_000_000))
        return { problem: 'number' };
      return { value: n };
    }
    case 'date':
      return isCalendarDate(text) ? { value: text } : { problem: 'date' };
    case 'select':
      return f.options.includes(text) ? { value: text } : { problem: 'choice' };
    default:
      if (f.target === 'company.domain') {
        const d = domainOf(text);
        return DOMAIN_RE.test(d) && d.length <= 253 ? { value: d } : { problem: 'domain' };
      }
      return { value: text };
  }
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

/** Display names of country and language codes in the page's language (ICU data, no tables of ours). */
export function optionLabel(f: ResolvedField, option: string, locale: FormLocale): string {
  if (f.target !== 'country' && f.target !== 'language') return option;
  const type = f.target === 'country' ? 'region' : 'language';
  const key = `${locale}:${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([locale], { type }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key)?.of(option) ?? option;
}
