import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Table, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SegmentDto } from '../../../contracts/segments.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageSegments } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { segmentPath, useSegments } from './api.ts';

/** Saved segments by name; each opens in the builder with its contacts. */
export function SegmentsListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const errorText = useErrorText();
  const [q, setQ] = useState('');
  const list = useSegments(q);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableProps<SegmentDto>['columns'] = [
    {
      key: 'name',
      title: t('segments.name'),
      render: (_, s) => (
        <Link to={segmentPath(s.id)} className="record-name">
          {s.name}
        </Link>
      ),
    },
    { key: 'description', title: t('segments.description'), render: (_, s) => s.description ?? '—' },
    {
      key: 'conditions',
      title: t('segments.conditions'),
      align: 'right',
      render: (_, s) => fmt.number(s.definition.conditions.length),
    },
    { key: 'updated', title: t('segments.updated'), render: (_, s) => fmt.dateTime(s.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.segments')}
        subtitle={t('segments.subtitle')}
        extra={
          canManageSegments(me.user.role) ? (
            <Link to={segmentPath('new')}>
              <Button type="primary" icon={<PlusOutlined />}>
                {t('segments.new')}
              </Button>
            </Link>
          ) : null
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('segments.search')}
            onSearch={setQ}
            style={{ width: 240 }}
          />
        </Flex>
        {list.error ? <Alert type="error" message={errorText(list.error)} /> : null}
        <Table<SegmentDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          data-testid="segments-table"
        />
        {list.hasNextPage ? (
          <Button
            onClick={() => list.fetchNextPage()}
            loading={list.isFetchingNextPage}
            style={{ marginTop: 12 }}
          >
            {t('segments.loadMore')}
          </Button>
        ) : null}
      </Card>
    </>
  );
}
