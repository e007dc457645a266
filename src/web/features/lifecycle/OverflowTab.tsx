import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Select, Table, type TableProps, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OverflowItemDto } from '../../../contracts/lifecycle.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { useNames, useUsers } from '../records/directory.ts';
import { useOverflow } from './admin.ts';

/** Leads no rep could take (all absent or full), oldest first; a manager hands each one on. */
export function OverflowTab() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const users = useUsers();
  const queue = useOverflow();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const sales = (users.data ?? []).filter(
    (u) => u.active && (u.role === 'sales_rep' || u.role === 'sales_manager'),
  );

  const handOn = async (contactId: string, userId: string) => {
    try {
      await api.post(`/api/contacts/${contactId}/assign`, { userId });
      message.success(t('routing.overflow.handedOn'));
      await qc.invalidateQueries({ queryKey: ['lifecycle'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: TableProps<OverflowItemDto>['columns'] = [
    {
      key: 'lead',
      title: t('lifecycle.lead'),
      render: (_, r) => <Link to={`/contacts/${r.contactId}`}>{r.name ?? r.email ?? r.contactId}</Link>,
    },
    {
      key: 'temperature',
      title: t('lifecycle.temperature'),
      render: (_, r) => t(`lifecycle.temperatures.${r.temperature}`, { defaultValue: r.temperature }),
    },
    { key: 'team', title: t('routing.rules.team'), render: (_, r) => names.team(r.teamId) },
    {
      key: 'manager',
      title: t('routing.teams.manager'),
      render: (_, r) => names.user(r.managerId) || t('routing.teams.noManager'),
    },
    { key: 'at', title: t('routing.overflow.since'), render: (_, r) => fmt.dateTime(r.assignedAt) },
    {
      key: 'sla',
      title: t('lifecycle.sla'),
      render: (_, r) =>
        r.breached ? <Tag color="red">{t('lifecycle.breached')}</Tag> : fmt.dateTime(r.slaDueAt),
    },
    {
      key: 'handOn',
      title: t('routing.overflow.handOn'),
      render: (_, r) => (
        <Select
          size="small"
          style={{ width: 200 }}
          placeholder={t('routing.overflow.pickRep')}
          aria-label={t('routing.overflow.handOn')}
          options={sales.map((u) => ({ value: u.id, label: u.name }))}
          onChange={(userId: string) => void handOn(r.contactId, userId)}
        />
      ),
    },
  ];

  return (
    <>
      {queue.isError ? <Alert type="error" showIcon title={errorText(queue.error)} /> : null}
      <Table<OverflowItemDto>
        rowKey="assignmentId"
        size="small"
        loading={queue.isLoading}
        pagination={{ pageSize: 50 }}
        columns={columns}
        dataSource={queue.data ?? []}
        locale={{ emptyText: t('routing.overflow.empty') }}
      />
    </>
  );
}
