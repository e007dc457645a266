import { ExportOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Segmented, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { FormDto } from '../../../contracts/forms.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageForms } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formPath } from './api.ts';
import { type FormStatusFilter, useForms } from './formsApi.ts';

export function FormStatusTag({ status }: { status: FormDto['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'active' ? 'green' : 'default'}>{t(`forms.status.${status}`)}</Tag>;
}

/** The workspace's web forms with their submission counts; admins and marketing create them. */
export function FormsListPage() {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [status, setStatus] = useState<FormStatusFilter>('active');
  const forms = useForms(status);
  const rows = forms.data?.pages.flatMap((p) => p.items) ?? [];
  const canManage = canManageForms(me.user.role);

  const columns: TableProps<FormDto>['columns'] = [
    {
      key: 'name',
      title: t('forms.fields.name'),
      render: (_, f) => (
        <Link to={formPath(f.id)} className="record-name">
          {f.name}
        </Link>
      ),
    },
    {
      key: 'status',
      title: t('forms.statusLabel'),
      width: 190,
      render: (_, f) => (
        <Flex gap={4} wrap>
          <FormStatusTag status={f.status} />
          {f.handRaise ? <Tag color="gold">{t('forms.handRaiseTag')}</Tag> : null}
        </Flex>
      ),
      responsive: ['sm'],
    },
    {
      key: 'fields',
      title: t('forms.fieldCount'),
      align: 'right',
      width: 90,
      render: (_, f) => fmt.number(f.fields.length),
      responsive: ['lg'],
    },
    {
      key: 'submissions',
      title: t('forms.submissions'),
      align: 'right',
      width: 120,
      render: (_, f) => fmt.number(f.stats.submissions),
    },
    {
      key: 'spam',
      title: t('forms.spamDropped'),
      align: 'right',
      width: 120,
      render: (_, f) => fmt.number(f.stats.spamDropped),
      responsive: ['xl'],
    },
    {
      key: 'last',
      title: t('forms.lastSubmission'),
      render: (_, f) =>
        f.stats.lastSubmissionAt ? (
          fmt.shortDateTime(f.stats.lastSubmissionAt)
        ) : (
          <Typography.Text type="secondary">{t('forms.never')}</Typography.Text>
        ),
      className: 'nowrap',
      responsive: ['md'],
    },
    {
      key: 'open',
      title: t('forms.hostedPage'),
      width: 120,
      render: (_, f) => (
        <a href={f.hostedPath} target="_blank" rel="noopener noreferrer">
          <ExportOutlined /> {t('forms.open')}
        </a>
      ),
      responsive: ['md'],
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.forms')}
        subtitle={t('forms.subtitle')}
        extra={
          canManage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/capture/forms/new')}
              data-testid="new-form"
            >
              {t('forms.new')}
            </Button>
          ) : null
        }
      />
      <Flex className="toolbar">
        <Segmented<FormStatusFilter>
          value={status}
          onChange={setStatus}
          options={(['active', 'archived', 'all'] as const).map((s) => ({
            value: s,
            label: t(`forms.filter.${s}`),
          }))}
        />
      </Flex>
      {forms.isError ? (
        <Alert type="error" showIcon title={errorText(forms.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<FormDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={forms.isPending}
          pagination={false}
          size="middle"
          locale={{ emptyText: forms.isPending ? ' ' : t('forms.empty') }}
        />
      </Card>
      {forms.hasNextPage ? (
        <Flex justify="center" className="list-footer">
          <Button onClick={() => void forms.fetchNextPage()} loading={forms.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
    </>
  );
}
