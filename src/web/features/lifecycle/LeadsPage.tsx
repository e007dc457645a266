import { Alert, Card, Table, type TableProps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InboxItemDto, TaskType } from '../../../contracts/lifecycle.ts';
import { useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import type { Temp } from './api.ts';
import { useInbox } from './api.ts';

export const TEMPERATURE_COLORS: Record<string, string> = { hot: 'red', warm: 'orange', cold: 'blue' };

/** The inbox's columns: My leads and the rep's home dashboard show leads the same way. */
export function useInboxColumns(): TableProps<InboxItemDto>['columns'] {
  const { t } = useTranslation();
  return [
    {
      key: 'name',
      title: t('lifecycle.lead'),
      render: (_, r) => (
        <Link to={`/contacts/${r.contactId}`} className="record-name">
          {r.name ?? r.email}
        </Link>
      ),
    },
    { key: 'company', title: t('lifecycle.company'), dataIndex: 'companyName', responsive: ['md'] },
    {
      key: 'temperature',
      title: t('lifecycle.temperature'),
      render: (_, r) => (
        <Tag color={TEMPERATURE_COLORS[r.temperature]}>
          {t(`lifecycle.temperatures.${r.temperature as Temp}`)}
        </Tag>
      ),
    },
    { key: 'stage', title: t('lifecycle.stage'), render: (_, r) => t(`lifecycle.stages.${r.stage}`) },
    {
      key: 'sla',
      title: t('lifecycle.sla'),
      render: (_, r) =>
        r.slaBreached ? (
          <Tag color="red">{t('lifecycle.breached')}</Tag>
        ) : r.slaMinutesLeft === null ? (
          <Typography.Text type="secondary">{t('lifecycle.slaMet')}</Typography.Text>
        ) : r.slaMinutesLeft >= 120 ? (
          // A day-long SLA reads as hours; the last two hours count down in minutes.
          t('lifecycle.hoursLeft', { count: Math.floor(r.slaMinutesLeft / 60) })
        ) : (
          t('lifecycle.minutesLeft', { count: r.slaMinutesLeft })
        ),
    },
    { key: 'touches', title: t('lifecycle.touches'), render: (_, r) => `${r.touches} / ${r.cadenceTarget}` },
    {
      key: 'next',
      title: t('lifecycle.nextAction'),
      render: (_, r) =>
        r.nextAction
          ? `${t(`lifecycle.taskTypes.${r.nextAction.type as TaskType}`)}: ${r.nextAction.title}`
          : '—',
    },
  ];
}

/** My leads: hot first, then by SLA time left, with touches against the cadence and the next best action. */
export function LeadsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const inbox = useInbox();
  const columns = useInboxColumns();
  return (
    <>
      <PageHeader title={t('lifecycle.myLeads')} subtitle={t('lifecycle.myLeadsHint')} />
      {inbox.isError ? <Alert type="error" message={errorText(inbox.error)} /> : null}
      <Card>
        <Table
          rowKey="contactId"
          data-testid="my-leads"
          loading={inbox.isPending}
          columns={columns}
          dataSource={inbox.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('lifecycle.noLeads') }}
        />
      </Card>
    </>
  );
}
