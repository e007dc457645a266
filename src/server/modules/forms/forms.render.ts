import { type FormLocale, HONEYPOT_FIELD } from '../../../contracts/forms.ts';
import type { FormConsentDef, LocalizedText } from '../../db/types.ts';
import {
  CAPTURE_FIELDS,
  type FieldProblem,
  optionLabel,
  PROBLEM_TEXT,
  pick,
  type RawValues,
  type ResolvedField,
} from './forms.fields.ts';

/**
 * The hosted form page, server-rendered HTML with no inline script (CSP: script-src 'self'). Every
 * piece of text that comes from a form definition or a visitor goes through {@link escapeHtml}.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const UI: Record<FormLocale, Record<string, string>> = {
  en: {
    submit: 'Submit',
    select: '— Select —',
    fix: 'Please correct the marked fields.',
    expired: 'This form was open for too long. Please check your details and submit again.',
    thanks: 'Thank you! We have received your details.',
    notFound: 'This form is not available.',
    continue: 'Continue',
    redirecting: 'Thank you! Taking you to the next page…',
    honeypot: 'Leave this field empty',
    required: 'required',
  },
  'zh-CN': {
    submit: '提交',
    select: '— 请选择 —',
    fix: '请更正标出的字段。',
    expired: '表单打开时间过长，请检查您的信息后重新提交。',
    thanks: '谢谢！我们已收到您的信息。',
    notFound: '此表单不可用。',
    continue: '继续',
    redirecting: '谢谢！正在跳转到下一页…',
    honeypot: '请勿填写此栏',
    required: '必填',
  },
};

/** `?lang=` wins, then the browser's Accept-Language, then the workspace's default language. */
export function negotiateLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  fallback: string,
): FormLocale {
  const direct = matchLocale(lang);
  if (direct) return direct;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const m = matchLocale(tag);
    if (m) return m;
  }
  return matchLocale(fallback) ?? 'en';
}

function matchLocale(tag: string | undefined): FormLocale | undefined {
  const t = tag?.trim().toLowerCase();
  if (!t) return undefined;
  if (t === 'zh' || t.startsWith('zh-') || t.startsWith('zh_')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-') || t.startsWith('en_')) return 'en';
  return undefined;
}

export interface PageForm {
  id: string;
  name: string;
  title: LocalizedText | null;
  submitLabel: LocalizedText | null;
  fields: ResolvedField[];
  consent: FormConsentDef | null;
}

export interface PageState {
  locale: FormLocale;
  token: string;
  values: RawValues;
  errors: Record<string, FieldProblem>;
  formError?: 'expired' | undefined;
  /** Hidden capture fields (utm_*, _referrer, _page, _embed) carried through a re-render. */
  hidden: Record<string, string>;
}

function layout(locale: FormLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/f/assets/form.css">
<script src="/f/assets/form.js" defer></script>
</head>
<body>
<main class="tf">
${body}
</main>
</body>
</html>
`;
}

function valuesOf(state: PageState, target: string): string[] {
  const v = state.values[target];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function fieldHtml(f: ResolvedField, i: number, state: PageState): string {
  const { locale } = state;
  const id = `tf-${i}`;
  const name = escapeHtml(f.target);
  const label = escapeHtml(f.displayLabel[locale]);
  const problem = state.errors[f.target];
  const errId = `${id}-err`;
  const error = problem
    ? `<p class="tf-error" id="${errId}">${escapeHtml(PROBLEM_TEXT[problem][locale])}</p>`
    : '';
  const aria = problem ? ` aria-invalid="true" aria-describedby="${errId}"` : '';
  const req = f.required ? ' required' : '';
  const mark = f.required
    ? ` <span class="tf-req" aria-label="${escapeHtml(UI[locale].required ?? '')}">*</span>`
    : '';
  const current = valuesOf(state, f.target);
  const placeholder = pick(f.placeholder, locale);
  const ph = placeholder ? ` placeholder="${escapeHtml(placeholder)}"` : '';
  const cls = `tf-field${problem ? ' tf-invalid' : ''}`;

  if (f.type === 'checkbox') {
    const checked = current.some((v) => v !== '' && v !== 'false' && v !== '0') ? ' checked' : '';
    return `<div class="${cls} tf-check"><label><input type="checkbox" name="${name}" value="true"${checked}${req}${aria}> ${label}${mark}</label>${error}</div>`;
  }
  if (f.type === 'checkboxes') {
    const boxes = f.options
      .map((o) => {
        const checked = current.includes(o) ? ' checked' : '';
        return `<label><input type="checkbox" name="${name}" value="${escapeHtml(o)}"${checked}> ${escapeHtml(o)}</label>`;
      })
      .join('\n');
    return `<fieldset class="${cls}"${aria}><legend>${label}${mark}</legend>${boxes}${error}</fieldset>`;
  }
  const head = `<label for="${id}">${label}${mark}</label>`;
  if (f.type === 'select') {
    const chosen = current[0] ?? '';
    const options = f.options
      .map((o) => ({ value: o, text: optionLabel(f, o, locale) }))
      .sort((a, b) => (f.custom ? 0 : a.text.localeCompare(b.text, locale)))
      .map(
        (o) =>
          `<option value="${escapeHtml(o.value)}"${o.value === chosen ? ' selected' : ''}>${escapeHtml(o.text)}</option>`,
      )
      .join('');
    const ac = f.autocomplete ? ` autocomplete="${f.autocomplete}"` : '';
    return `<div class="${cls}">${head}<select id="${id}" name="${name}"${ac}${req}${aria}><option value="">${escapeHtml(UI[locale].select ?? '')}</option>${options}</select>${error}</div>`;
  }
  const type = f.type === 'number' ? 'text' : f.type;
  const extra =
    (f.type === 'number' ? ' inputmode="numeric"' : '') +
    (f.max ? ` maxlength="${f.max}"` : '') +
    (f.autocomplete ? ` autocomplete="${f.autocomplete}"` : '');
  const value = current[0] ? ` value="${escapeHtml(current[0])}"` : '';
  return `<div class="${cls}">${head}<input id="${id}" type="${type}" name="${name}"${value}${ph}${extra}${req}${aria}>${error}</div>`;
}

function consentHtml(consent: FormConsentDef, state: PageState): string {
  const { locale } = state;
  const text = pick(consent.text, locale) ?? '';
  const problem = state.errors._consent;
  const checked = valuesOf(state, '_consent').some((v) => v !== '') ? ' checked' : '';
  const error = problem
    ? `<p class="tf-error" id="tf-consent-err">${escapeHtml(PROBLEM_TEXT[problem][locale])}</p>`
    : '';
  const aria = problem ? ' aria-invalid="true" aria-describedby="tf-consent-err"' : '';
  const req = consent.required ? ' required' : '';
  return `<div class="tf-field tf-check tf-consent${problem ? ' tf-invalid' : ''}"><label><input type="checkbox" name="_consent" value="yes"${checked}${req}${aria}> <span>${escapeHtml(text)}</span></label>${error}</div>`;
}

function hiddenHtml(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** The form, or the form again with the visitor's values and a message next to each bad field. */
export function renderFormPage(form: PageForm, state: PageState): string {
  const { locale } = state;
  const ui = UI[locale];
  const heading = pick(form.title, locale);
  const banner = state.formError
    ? `<div class="tf-banner" role="alert">${escapeHtml(ui.expired ?? '')}</div>`
    : Object.keys(state.errors).length
      ? `<div class="tf-banner" role="alert">${escapeHtml(ui.fix ?? '')}</div>`
      : '';
  const fields = form.fields
    .filter((f) => f.available)
    .map((f, i) => fieldHtml(f, i, state))
    .join('\n');
  const hidden = [
    hiddenHtml('_token', state.token),
    hiddenHtml('_lang', locale),
    ...CAPTURE_FIELDS.map((k) => hiddenHtml(k, state.hidden[k] ?? '')),
  ].join('\n');
  const honeypot = `<div class="tf-hp" aria-hidden="true"><label>${escapeHtml(ui.honeypot ?? '')} <input type="text" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"></label></div>`;
  const submit = pick(form.submitLabel, locale) ?? ui.submit ?? '';
  const body = `${heading ? `<h1>${escapeHtml(heading)}</h1>\n` : ''}${banner}
<form class="tf-form" method="post" action="/f/${escapeHtml(encodeURIComponent(form.id))}" accept-charset="utf-8" data-tandem-form="${escapeHtml(form.id)}">
${fields}
${form.consent ? consentHtml(form.consent, state) : ''}
${honeypot}
${hidden}
<button type="submit" class="tf-submit">${escapeHtml(submit)}</button>
</form>`;
  return layout(locale, heading ?? form.name, body);
}

/** The thank-you message, or (embedded, with a redirect) a page that asks the host page to navigate. */
export function renderThankYou(opts: {
  locale: FormLocale;
  title: string;
  heading: string | undefined;
  message: string | undefined;
  redirectUrl?: string | undefined;
}): string {
  const ui = UI[opts.locale];
  const h1 = opts.heading ? `<h1>${escapeHtml(opts.heading)}</h1>\n` : '';
  if (opts.redirectUrl) {
    const url = escapeHtml(opts.redirectUrl);
    return layout(
      opts.locale,
      opts.title,
      `${h1}<div class="tf-done" data-redirect="${url}"><p>${escapeHtml(ui.redirecting ?? '')}</p><p><a href="${url}" target="_top" rel="noopener">${escapeHtml(ui.continue ?? '')}</a></p></div>`,
    );
  }
  return layout(
    opts.locale,
    opts.title,
    `${h1}<div class="tf-done" role="status"><p>${escapeHtml(opts.message ?? ui.thanks ?? '')}</p></div>`,
  );
}

export function renderNotFound(locale: FormLocale): string {
  const text = UI[locale].notFound ?? '';
  return layout(locale, text, `<div class="tf-done"><p>${escapeHtml(text)}</p></div>`);
}
