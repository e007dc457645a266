import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';

/** One line for an error: translated for the generic cases, the server's own message otherwise. */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (err: unknown) => {
      if (!(err instanceof ApiError)) return t('errors.generic');
      if (err.status === 0) return t('errors.network');
      if (err.status === 401) return t('errors.unauthenticated');
      if (err.status === 403) return t('errors.forbidden');
      if (err.status === 404) return t('errors.notFound');
      if (err.status === 429) return t('errors.rateLimited');
      if (err.status >= 500) return t('errors.server');
      return err.message || t('errors.generic');
    },
    [t],
  );
}

/**
 * Puts the server's field errors (`fields: { "email": "…", "custom.size": "…" }`) on the matching
 * form fields. Returns the ones that match no field, to show with the general message.
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fieldNames: string[]): string[] {
  if (!(err instanceof ApiError)) return [];
  const known = new Set(fieldNames);
  const unmatched: string[] = [];
  const fields: { name: string[]; errors: string[] }[] = [];
  for (const [key, problem] of Object.entries(err.fields)) {
    const path = key.split(/[./]/).filter(Boolean);
    if (known.has(path.join('.'))) fields.push({ name: path, errors: [problem] });
    else unmatched.push(`${key}: ${problem}`);
  }
  if (fields.length) form.setFields(fields);
  return unmatched;
}
