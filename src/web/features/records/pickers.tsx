import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompanyDto } from '../../../contracts/companies.ts';
import { api, type Page } from '../../app/api.ts';
import { useFormat } from '../../app/format.ts';
import { canAssignToOthers } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { COUNTRY_CODES, LANGUAGE_CODES } from '../../ui/countries.ts';
import { useDebounced } from '../../ui/useDebounced.ts';
import { useTeams, useUsers } from './directory.ts';

/** Props Ant Design's Form.Item passes to a custom control. */
export interface ControlProps<T> {
  value?: T;
  onChange?: (value: T) => void;
  id?: string;
}

/** Owner of a record. Reps may only take records themselves, so they see only "me". */
export function OwnerSelect({ value, onChange, id }: ControlProps<string | null>) {
  const { t } = useTranslation();
  const me = useSession();
  const users = useUsers();
  const options = useMemo(() => {
    const active = (users.data ?? []).filter((u) => u.active || u.id === value);
    const list = canAssignToOthers(me.user.role) ? active : active.filter((u) => u.id === me.user.id);
    const mine = list.find((u) => u.id === me.user.id);
    const others = list.filter((u) => u.id !== me.user.id).sort((a, b) => a.name.localeCompare(b.name));
    return [
      ...(mine ? [{ value: mine.id, label: t('records.ownerMe', { name: mine.name }) }] : []),
      ...others.map((u) => ({ value: u.id, label: u.name })),
    ];
  }, [users.data, me.user, t, value]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={users.isPending}
      allowClear
      placeholder={t('records.unassigned')}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}

export function TeamSelect({ value, onChange, id }: ControlProps<string | null>) {
  const { t } = useTranslation();
  const teams = useTeams();
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
      loading={teams.isPending}
      allowClear
      placeholder={t('records.noTeam')}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}

export function useCountryOptions(): { value: string; label: string }[] {
  const fmt = useFormat();
  return useMemo(
    () =>
      COUNTRY_CODES.map((code) => ({ value: code, label: `${fmt.country(code)} (${code})` })).sort((a, b) =>
        a.label.localeCompare(b.label),
      ),
    [fmt],
  );
}

export function CountrySelect({
  value,
  onChange,
  id,
  placeholder,
}: ControlProps<string | null> & { placeholder?: string }) {
  const { t } = useTranslation();
  const options = useCountryOptions();
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      allowClear
      placeholder={placeholder ?? t('records.chooseCountry')}
      showSearch={{ optionFilterProp: 'label' }}
      popupMatchSelectWidth={false}
    />
  );
}

export function LanguageSelect({ value, onChange, id }: ControlProps<string | null>) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const options = useMemo(() => {
    const codes = value && !LANGUAGE_CODES.includes(value) ? [value, ...LANGUAGE_CODES] : LANGUAGE_CODES;
    return codes.map((code) => ({ value: code, label: `${fmt.language(code)} (${code})` }));
  }, [fmt, value]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      allowClear
      placeholder={t('records.chooseLanguage')}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}

export function TagsSelect({ value, onChange, id }: ControlProps<string[]>) {
  const { t } = useTranslation();
  return (
    <Select
      id={id}
      mode="tags"
      value={value ?? []}
      onChange={(v: string[]) => onChange?.(v.map((s) => s.trim()).filter(Boolean))}
      tokenSeparators={[',']}
      placeholder={t('records.tagsPlaceholder')}
      open={false}
      suffixIcon={null}
    />
  );
}

/** Company of a contact: searches companies on the server as you type. */
export function CompanySelect({
  value,
  onChange,
  id,
  initialName,
}: ControlProps<string | null> & { initialName?: string | null }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const companies = useQuery({
    queryKey: ['companies', 'picker', q],
    queryFn: () => api.get<Page<CompanyDto>>('/api/companies', { q, limit: 20, sort: 'name', order: 'asc' }),
    staleTime: 10_000,
  });
  const options = useMemo(() => {
    const list = (companies.data?.items ?? []).map((c) => ({
      value: c.id,
      label: c.domain ? `${c.name} · ${c.domain}` : c.name,
    }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: initialName ?? value });
    return list;
  }, [companies.data, value, initialName]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      allowClear
      loading={companies.isFetching}
      placeholder={t('records.chooseCompany')}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      notFoundContent={companies.isFetching ? t('app.loading') : t('records.noCompanies')}
    />
  );
}
