import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactDto } from '../../../contracts/contacts.ts';
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
import { CONTACTS, contactName, contactPath } from './api.ts';
import { ContactForm } from './ContactForm.tsx';

export function ContactsListPage() {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [params, update, reset] = useListParams();
  const list = useRecordList<ContactDto>(CONTACTS, params);
  const [creating, setCreating] = useState(false);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canWrite = canWriteRecords(me.user.role);

  const columns: TableProps<ContactDto>['columns'] = [
    {
      key: 'name',
      title: t('contacts.fields.name'),
      sorter: true,
      sortOrder: sortOrderFor(params, 'name'),
      width: 180,
      render: (_, c) => (
        <Link to={contactPath(c.id)} state={c.deletedAt ? { record: c } : undefined} className="record-name">
          {contactName(c) || t('contacts.unnamed')}
        </Link>
      ),
    },
    {
      key: 'email',
      title: t('contacts.fields.email'),
      dataIndex: 'email',
      sorter: true,
      sortOrder: sortOrderFor(params, 'email'),
      ellipsis: true,
    },
    {
      key: 'company',
      title: t('contacts.fields.company'),
      render: (_, c) => (c.companyId ? <Link to={`/companies/${c.companyId}`}>{c.companyName}</Link> : null),
      ellipsis: true,
      responsive: ['md'],
    },
    {
      key: 'title',
      title: t('contacts.fields.title'),
      dataIndex: 'title',
      responsive: ['xl'],
      ellipsis: true,
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
      responsive: ['lg'],
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
            render: (_: unknown, c: ContactDto) => (
              <RestoreButton base={CONTACTS} id={c.id} pathOf={contactPath} />
            ),
          },
        ]
      : []),
  ];

  const onChange: TableProps<ContactDto>['onChange'] = (_pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (!s?.order || !s.columnKey) update({ sort: '', order: 'desc' });
    else update({ sort: String(s.columnKey), order: s.order === 'ascend' ? 'asc' : 'desc' });
  };

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        subtitle={t('contacts.subtitle')}
        tags={params.deleted === 'only' ? <Tag color="red">{t('records.filters.deleted')}</Tag> : null}
        extra={
          <>
            <ExportButton entity="contacts" />
            <ImportButton entity="contacts" />
            {canWrite ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-contact"
              >
                {t('contacts.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <RecordToolbar params={params} update={update} reset={reset} searchPlaceholder={t('contacts.search')} />
      {list.isError ? (
        <Alert type="error" showIcon title={errorText(list.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<ContactDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          onChange={onChange}
          showSorterTooltip={false}
          sortDirections={['ascend', 'descend', 'ascend']}
          locale={{ emptyText: list.isPending ? ' ' : t('contacts.empty') }}
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
        <ContactForm
          open
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            message.success(t('contacts.created', { name: contactName(c) }));
          }}
        />
      ) : null}
    </>
  );
}
