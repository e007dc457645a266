import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useOptionalSession } from './session.tsx';

export interface Formatters {
  dateTime(iso: string | null | undefined): string;
  /** Compact, for table cells: no year when it is this year. */
  shortDateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  /** A calendar date (YYYY-MM-DD) that has no time zone. */
  plainDate(ymd: string | null | undefined): string;
  number(n: number | null | undefined): string;
  country(code: string | null | undefined): string;
  language(code: string | null | undefined): string;
  timeZone: string;
}

function safeFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    // an unknown stored time zone must not break the screen: fall back to the browser's
    const { timeZone: _ignored, ...rest } = options;
    return new Intl.DateTimeFormat(locale, rest);
  }
}

function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([locale], { type });
  } catch {
    return null;
  }
}

/** Dates in the user's time zone and language; country and language names from the browser (Intl). */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const me = useOptionalSession();
  const locale = i18n.language;
  const timeZone = me?.user.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return useMemo(() => {
    const dt = safeFormatter(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    const d = safeFormatter(locale, { dateStyle: 'medium', timeZone });
    const shortThisYear = safeFormatter(locale, {
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
    });
    const yearOf = safeFormatter('en', { year: 'numeric', timeZone });
    const thisYear = yearOf.format(new Date());
    const plain = safeFormatter(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const num = new Intl.NumberFormat(locale);
    const regions = displayNames(locale, 'region');
    const languages = displayNames(locale, 'language');
    const of = (names: Intl.DisplayNames | null, code: string | null | undefined): string => {
      if (!code) return '';
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    };
    return {
      dateTime: (iso) => (iso ? dt.format(new Date(iso)) : ''),
      shortDateTime: (iso) => {
        if (!iso) return '';
        const when = new Date(iso);
        return yearOf.format(when) === thisYear ? shortThisYear.format(when) : d.format(when);
      },
      date: (iso) => (iso ? d.format(new Date(iso)) : ''),
      plainDate: (ymd) => {
        if (!ymd) return '';
        const d = new Date(`${ymd}T00:00:00Z`);
        return Number.isNaN(d.getTime()) ? ymd : plain.format(d);
      },
      number: (n) => (n === null || n === undefined ? '' : num.format(n)),
      country: (code) => of(regions, code),
      language: (code) => of(languages, code),
      timeZone,
    };
  }, [locale, timeZone]);
}
