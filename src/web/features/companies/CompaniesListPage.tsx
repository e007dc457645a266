import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CompanyDto } from '../../../contracts/companies.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canWriteRecords } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ExportButton, ImportButton } from '../capture/ExportButton.tsx';
import { useNames } from '../records/directory.ts';
import { sortOrderFor, useListParams, useRecordList } from '../records/listParams.ts';
import { RecordToolbar } from '../records/RecordToolbar.tsx';
import { RestoreButton } from '../records/RestoreButton.tsx';
import { TagList } from '../records/TagList.tsx';
import { COMPANIES, companyPath } from './api.ts';
import { CompanyForm } from './CompanyForm.tsx';

export function CompaniesListPage() {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [params, update, reset] = useListParams();
  const list = useRecordList<CompanyDto>(COMPANIES, params);
  const [creating, setCreating] = useState(false);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canWrite = canWriteRecords(me.user.role);

  const columns: TableProps<CompanyDto>['columns'] = [
    {
      key: 'name',
      title: t('companies.fields.name'),
      sorter: true,
      sortOrder: sortOrderFor(params, 'name'),
      width: 180,
      render: (_, c) => (
        <Link to={companyPath(c.id)} state={c.deletedAt ? { record: c } : undefined} className="record-name">
          {c.name}
        </Link>
      ),
    },
    { key: 'domain', title: t('companies.fields.domain'), dataIndex: 'domain', ellipsis: true },
    {
      key: 'industry',
      title: t('companies.fields.industry'),
      dataIndex: 'industry',
      responsive: ['lg'],
      ellipsis: true,
    },
    {
      key: 'employees',
      title: t('companies.fields.employees'),
      align: 'right',
      render: (_, c) => fmt.number(c.employees),
      responsive: ['xl'],
    },
    {
      key: 'owner',
      title: t('records.fields.owner'),
      width: 130,
      render: (_, c) =>
        c.ownerId ? (
          names.user(c.ownerId)
        ) : (
          <Typography.Text type="secondary">{t('records.unassigned')}</Typography.Text>
        ),
      responsive: ['lg'],
    },
    {
      key: 'country',
      title: t('records.fields.country'),
      width: 130,
      render: (_, c) => fmt.country(c.country),
      responsive: ['md'],
    },
    {
      key: 'tags',
      title: t('records.fields.tags'),
      render: (_, c) => <TagList tags={c.tags} max={2} />,
      width: 190,
      responsive: ['md'],
    },
    {
      key: 'updatedAt',
      title: t('records.fields.updatedAt'),
      sorter: true,
      sortOrder: sortOrderFor(params, 'updatedAt'),
      render: (_, c) => fmt.shortDateTime(c.updatedAt),
      className: 'nowrap',
      width: 150,
      responsive: ['sm'],
    },
    {
      key: 'createdAt',
      title: t('records.fields.createdAt'),
      sorter: true,
      sortOrder: sortOrderFor(params, 'createdAt'),
      render: (_, c) => fmt.date(c.createdAt),
      className: 'nowrap',
      responsive: ['xxl'],
    },
    ...(params.deleted === 'only' && canWrite
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, c: CompanyDto) => (
              <RestoreButton base={COMPANIES} id={c.id} pathOf={companyPath} />
            ),
          },
        ]
      : []),
  ];

  const onChange: TableProps<CompanyDto>['onChange'] = (_pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (!s?.order || !s.columnKey) update({ sort: '', order: 'desc' });
    else update({ sort: String(s.columnKey), order: s.order === 'ascend' ? 'asc' : 'desc' });
  };

  return (
    <>
      <PageHeader
        title={t('companies.title')}
        subtitle={t('companies.subtitle')}
        tags={params.deleted === 'only' ? <Tag color="red">{t('records.filters.deleted')}</Tag> : null}
        extra={
          <>
            <ExportButton entity="companies" />
            <ImportButton entity="companies" />
            {canWrite ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-company"
              >
                {t('companies.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <RecordToolbar
        params={params}
        update={update}
        reset={reset}
        searchPlaceholder={t('companies.search')}
      />
      {list.isError ? (
        <Alert type="error" showIcon title={errorText(list.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<CompanyDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          onChange={onChange}
          showSorterTooltip={false}
          sortDirections={['ascend', 'descend', 'ascend']}
          locale={{ emptyText: list.isPending ? ' ' : t('companies.empty') }}
          size="middle"
        />
      </Card>
      <Flex justify="space-between" align="center" className="list-footer" wrap gap={8}>
        <Typography.Text type="secondary">{t('records.shown', { count: rows.length })}</Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : rows.length ? (
          <Typography.Text type="secondary">{t('records.allShown')}</Typography.Text>
        ) : null}
      </Flex>
      {creating ? (
        <CompanyForm
          open
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            message.success(t('companies.created', { name: c.name }));
          }}
        />
      ) : null}
    </>
  );
}
