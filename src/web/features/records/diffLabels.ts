import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format.ts';
import { isLocale } from '../../app/i18n/index.ts';
import type { Role } from '../../app/permissions.ts';
import { useCustomFields, useNames } from './directory.ts';
import type { DiffLabels } from './history.tsx';

const FIELD_KEYS = {
  firstName: 'contacts.fields.firstName',
  lastName: 'contacts.fields.lastName',
  email: 'contacts.fields.email',
  phone: 'records.fields.phone',
  title: 'contacts.fields.title',
  companyId: 'contacts.fields.company',
  language: 'contacts.fields.language',
  name: 'companies.fields.name',
  domain: 'companies.fields.domain',
  website: 'companies.fields.website',
  industry: 'companies.fields.industry',
  employees: 'companies.fields.employees',
  ownerId: 'records.fields.owner',
  teamId: 'records.fields.team',
  country: 'records.fields.country',
  tags: 'records.fields.tags',
  custom: 'records.sections.custom',
  deletedAt: 'records.fields.deletedAt',
  locale: 'users.fields.language',
  timeZone: 'users.fields.timeZone',
  role: 'users.fields.role',
  active: 'users.fields.status',
  memberIds: 'teams.fields.members',
  label: 'customFields.fields.label',
  key: 'customFields.fields.key',
  type: 'customFields.fields.type',
  options: 'customFields.fields.options',
  required: 'customFields.fields.required',
} as const;

const ROLES: readonly string[] = [
  'admin',
  'marketing',
  'sales_manager',
  'sales_rep',
  'service',
] satisfies Role[];
const isRole = (v: string): v is Role => ROLES.includes(v);

function isFieldKey(key: string): key is keyof typeof FIELD_KEYS {
  return key in FIELD_KEYS;
}

/** Words for the fields and ids in a contact's or company's change history. */
export function useDiffLabels(entity: 'contact' | 'company'): DiffLabels {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const custom = useCustomFields(entity);
  return useMemo(() => {
    const customLabels = new Map((custom.data ?? []).map((f) => [f.key, f.label]));
    return {
      field: (key) => (isFieldKey(key) ? t(FIELD_KEYS[key]) : (customLabels.get(key) ?? key)),
      value: (key, v) => {
        if (typeof v !== 'string' || !v) return null;
        if (key === 'locale' && isLocale(v)) return t(`languages.${v}`);
        if (key === 'role' && isRole(v)) return t(`roles.${v}`);
        if (key === 'ownerId') return names.user(v);
        if (key === 'teamId') return names.team(v);
        if (key === 'country') return fmt.country(v);
        if (key === 'language') return fmt.language(v);
        if (key === 'deletedAt' || key.endsWith('At')) return fmt.dateTime(v);
        return null;
      },
    };
  }, [t, fmt, names, custom.data]);
}
