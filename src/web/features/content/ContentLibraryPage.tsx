import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Select, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  CONTENT_KINDS,
  type ContentAssetDto,
  type ContentListQuery,
  FUNNEL_STAGES,
} from '../../../contracts/content.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageContent } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { AssetForm } from './AssetForm.tsx';
import type { FunnelStage } from './api.ts';
import { contentPath, useAssets } from './api.ts';

/** The content library: sales find material by funnel stage, language, product and kind. */
export function ContentLibraryPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [filters, setFilters] = useState<ContentListQuery>({});
  const [adding, setAdding] = useState(false);
  const list = useAssets(filters);
  const set = <K extends keyof ContentListQuery>(key: K, value: ContentListQuery[K] | undefined) =>
    setFilters((f) => {
      const next = { ...f };
      if (value === undefined || value === '') delete next[key];
      else next[key] = value;
      return next;
    });

  const columns: TableProps<ContentAssetDto>['columns'] = [
    {
      key: 'title',
      title: t('content.fields.title'),
      render: (_, a) => (
        <Link to={contentPath(a.id)} className="record-name">
          {a.title}
        </Link>
      ),
    },
    { key: 'kind', title: t('content.fields.kind'), render: (_, a) => t(`content.kinds.${a.kind}`) },
    {
      key: 'stage',
      title: t('content.fields.funnelStage'),
      render: (_, a) =>
        a.funnelStage ? <Tag>{t(`content.stages.${a.funnelStage as FunnelStage}`)}</Tag> : '—',
    },
    { key: 'product', title: t('content.fields.product'), render: (_, a) => a.product ?? '—' },
    { key: 'language', title: t('content.fields.language'), render: (_, a) => a.language ?? '—' },
    {
      key: 'market',
      title: t('content.fields.market'),
      render: (_, a) => a.market ?? '—',
      responsive: ['md'],
    },
    {
      key: 'version',
      title: t('content.version'),
      align: 'right',
      render: (_, a) => `v${a.currentVersion}`,
    },
    {
      key: 'updated',
      title: t('content.updated'),
      render: (_, a) => fmt.date(a.updatedAt),
      responsive: ['lg'],
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.content')}
        subtitle={t('content.subtitle')}
        extra={
          canManageContent(me.user.role) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('content.add')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('content.search')}
            onSearch={(v) => set('q', v)}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('content.fields.funnelStage')}
            value={filters.funnelStage}
            onChange={(v) => set('funnelStage', v)}
            data-testid="filter-stage"
            style={{ width: 160 }}
            options={FUNNEL_STAGES.map((s) => ({ value: s, label: t(`content.stages.${s}`) }))}
          />
          <Select
            allowClear
            placeholder={t('content.fields.kind')}
            value={filters.kind}
            onChange={(v) => set('kind', v)}
            style={{ width: 160 }}
            options={CONTENT_KINDS.map((k) => ({ value: k, label: t(`content.kinds.${k}`) }))}
          />
          <Input.Search
            allowClear
            placeholder={t('content.fields.language')}
            onSearch={(v) => set('language', v.trim())}
            style={{ width: 140 }}
          />
          <Input.Search
            allowClear
            placeholder={t('content.fields.product')}
            onSearch={(v) => set('product', v.trim())}
            style={{ width: 180 }}
          />
        </Flex>
        {list.error ? <Alert type="error" message={errorText(list.error)} /> : null}
        <Table<ContentAssetDto>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isLoading}
          pagination={false}
          data-testid="content-table"
        />
      </Card>
      <AssetForm
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={(a) => {
          setAdding(false);
          navigate(contentPath(a.id));
        }}
      />
    </>
  );
}
