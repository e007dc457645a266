import { ClearOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Segmented, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.tsx';
import { useSyncedText } from '../../ui/useDebounced.ts';
import { useTeams, useUsers } from './directory.ts';
import { hasFilters, type ListParams } from './listParams.ts';
import { useCountryOptions } from './pickers.tsx';

/** Search (debounced) and filters of a contacts or companies list; everything goes to the server. */
export function RecordToolbar({
  params,
  update,
  reset,
  searchPlaceholder,
}: {
  params: ListParams;
  update: (patch: Partial<ListParams>) => void;
  reset: () => void;
  searchPlaceholder: string;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const users = useUsers();
  const teams = useTeams();
  const countries = useCountryOptions();
  const [search, setSearch] = useSyncedText(params.q, (q) => update({ q }), 300);
  const [tag, setTag] = useSyncedText(params.tag, (tag) => update({ tag }), 400);

  const ownerOptions = useMemo(
    () => [
      { value: 'me', label: t('records.filters.mine') },
      { value: 'none', label: t('records.unassigned') },
      ...(users.data ?? [])
        .filter((u) => u.id !== me.user.id)
        .map((u) => ({ value: u.id, label: u.name }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    ],
    [users.data, me.user.id, t],
  );

  return (
    <Flex gap={8} wrap align="center" className="toolbar">
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={searchPlaceholder}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className="toolbar-search"
        aria-label={searchPlaceholder}
        data-testid="list-search"
      />
      <Select
        allowClear
        value={params.ownerId || undefined}
        onChange={(v: string | undefined) => update({ ownerId: v ?? '' })}
        options={ownerOptions}
        placeholder={t('records.filters.anyOwner')}
        showSearch={{ optionFilterProp: 'label' }}
        aria-label={t('records.fields.owner')}
      />
      <Select
        allowClear
        value={params.teamId || undefined}
        onChange={(v: string | undefined) => update({ teamId: v ?? '' })}
        options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
        placeholder={t('records.filters.anyTeam')}
        aria-label={t('records.fields.team')}
      />
      <Input
        allowClear
        value={tag}
        onChange={(e) => setTag(e.target.value)}
        placeholder={t('records.filters.tag')}
        className="toolbar-tag"
        aria-label={t('records.fields.tags')}
      />
      <Select
        allowClear
        value={params.country || undefined}
        onChange={(v: string | undefined) => update({ country: v ?? '' })}
        options={countries}
        placeholder={t('records.filters.anyCountry')}
        showSearch={{ optionFilterProp: 'label' }}
        popupMatchSelectWidth={false}
        aria-label={t('records.fields.country')}
      />
      <Segmented
        value={params.deleted}
        onChange={(v) => update({ deleted: v === 'only' ? 'only' : 'exclude' })}
        options={[
          { value: 'exclude', label: t('records.filters.active') },
          { value: 'only', label: t('records.filters.deleted') },
        ]}
      />
      {hasFilters(params) ? (
        <Button type="link" icon={<ClearOutlined />} onClick={reset}>
          {t('records.filters.clear')}
        </Button>
      ) : null}
    </Flex>
  );
}
