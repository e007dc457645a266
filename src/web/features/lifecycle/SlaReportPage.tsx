import { Alert, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useSlaReport } from './api.ts';

/** SLA report: time to first sales touch per rep and team over the last 30 days, and breaches. */
export function SlaReportPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const report = useSlaReport();
  const statColumns = [
    { key: 'name', title: t('lifecycle.name'), dataIndex: 'name' },
    { key: 'assigned', title: t('lifecycle.assigned'), dataIndex: 'assigned' },
    { key: 'touched', title: t('lifecycle.touched'), dataIndex: 'touched' },
    { key: 'avg', title: t('lifecycle.avgHours'), dataIndex: 'avgHoursToFirstTouch' },
    { key: 'median', title: t('lifecycle.medianHours'), dataIndex: 'medianHoursToFirstTouch' },
    { key: 'breaches', title: t('lifecycle.breaches'), dataIndex: 'breaches' },
  ];
  return (
    <>
      <PageHeader title={t('lifecycle.slaReport')} subtitle={t('lifecycle.slaReportHint')} />
      {report.isError ? <Alert type="error" message={errorText(report.error)} /> : null}
      <Card title={t('lifecycle.perRep')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          columns={statColumns}
          dataSource={report.data?.reps ?? []}
        />
      </Card>
      <Card title={t('lifecycle.perTeam')} className="stacked-card">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          columns={statColumns}
          dataSource={report.data?.teams ?? []}
        />
      </Card>
      <Card title={t('lifecycle.breachList')} className="stacked-card">
        <Table
          rowKey="assignmentId"
          size="small"
          data-testid="sla-breaches"
          pagination={false}
          dataSource={report.data?.breaches ?? []}
          columns={[
            {
              key: 'contact',
              title: t('lifecycle.lead'),
              render: (_, b) => <Link to={`/contacts/${b.contactId}`}>{b.contactName ?? b.contactId}</Link>,
            },
            { key: 'owner', title: t('lifecycle.owner'), dataIndex: 'userName' },
            { key: 'due', title: t('lifecycle.slaDue'), render: (_, b) => fmt.dateTime(b.slaDueAt) },
            {
              key: 'breached',
              title: t('lifecycle.breachedAt'),
              render: (_, b) => fmt.dateTime(b.breachedAt),
            },
          ]}
        />
      </Card>
    </>
  );
}
