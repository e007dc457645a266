import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Select, Table, type TableProps, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEntryDto } from '../../../contracts/governance.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useDiffLabels } from '../records/diffLabels.ts';
import { useUsers } from '../records/directory.ts';
import { DiffList } from '../records/history.tsx';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, actionKind, actionLabel, entityLabel } from './auditWords.ts';

const ENTITY_PATHS: Record<string, string> = { contact: '/contacts', company: '/companies' };
const ACTION_COLORS: Record<string, string> = {
  create: 'green',
  delete: 'red',
  restore: 'blue',
  owner_change: 'purple',
  role_change: 'purple',
  deactivate: 'orange',
  sign_in_failed: 'orange',
  revoke: 'orange',
};

/** The append-only audit log (admins): who did what to which record, newest first. */
export function AuditLogPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const users = useUsers();
  const [entityType, setEntityType] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();
  const [actorUserId, setActorUserId] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const query = {
    entityType,
    action,
    actorUserId,
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.endOf('day').toISOString(),
    limit: 50,
  };
  const log = useInfiniteQuery({
    queryKey: ['/api/audit-log', query],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntryDto>>('/api/audit-log', { ...query, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const recordLabels = useDiffLabels('contact');
  const labels = useMemo(
    () => ({
      field: recordLabels.field,
      value: (k: string, v: unknown) => {
        if (k === 'userId' && typeof v === 'string') return users.data?.find((u) => u.id === v)?.name ?? null;
        return recordLabels.value?.(k, v) ?? null;
      },
    }),
    [users.data, recordLabels],
  );

  const columns: TableProps<AuditEntryDto>['columns'] = [
    {
      key: 'at',
      title: t('audit.at'),
      render: (_, e) => fmt.shortDateTime(e.at),
      className: 'nowrap',
      width: 150,
    },
    { key: 'actor', title: t('audit.actor'), dataIndex: 'actorLabel', ellipsis: true, width: 200 },
    {
      key: 'action',
      title: t('audit.action'),
      render: (_, e) => (
        <Tag color={ACTION_COLORS[actionKind(e.action) ?? ''] ?? 'default'}>{actionLabel(e.action, t)}</Tag>
      ),
      width: 150,
    },
    {
      key: 'entity',
      title: t('audit.entity'),
      render: (_, e) => {
        const base = ENTITY_PATHS[e.entityType];
        const label = entityLabel(e.entityType, t);
        if (!e.entityId) return label;
        const userName =
          e.entityType === 'user' ? users.data?.find((u) => u.id === e.entityId)?.name : undefined;
        const id = (
          <Typography.Text code ellipsis={{ tooltip: e.entityId }} className="audit-id">
            {e.entityId}
          </Typography.Text>
        );
        return (
          <div>
            <div>{userName ? `${label} · ${userName}` : label}</div>
            {base ? <Link to={`${base}/${e.entityId}`}>{id}</Link> : userName ? null : id}
          </div>
        );
      },
    },
    {
      key: 'changes',
      title: t('audit.changes'),
      render: (_, e) => <DiffList diff={e.diff} labels={labels} max={3} />,
      responsive: ['lg'],
    },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'ip', responsive: ['xl'], width: 130 },
  ];

  return (
    <>
      <PageHeader title={t('nav.auditLog')} subtitle={t('audit.subtitle')} />
      <Flex gap={8} wrap className="toolbar">
        <Select
          allowClear
          value={entityType}
          onChange={setEntityType}
          placeholder={t('audit.anyEntity')}
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: entityLabel(e, t) }))}
        />
        <Select
          allowClear
          value={action}
          onChange={setAction}
          placeholder={t('audit.anyAction')}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a, t) }))}
        />
        <Select
          allowClear
          value={actorUserId}
          onChange={setActorUserId}
          placeholder={t('audit.anyActor')}
          showSearch={{ optionFilterProp: 'label' }}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
      </Flex>
      {log.isError ? (
        <Alert type="error" showIcon title={errorText(log.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<AuditEntryDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={log.isPending}
          pagination={false}
          size="middle"
          locale={{ emptyText: t('audit.empty') }}
          expandable={{
            expandedRowRender: (e) => <pre className="json">{JSON.stringify(e.diff, null, 2)}</pre>,
            rowExpandable: (e) => Object.keys(e.diff).length > 0,
          }}
        />
      </Card>
      <Flex justify="space-between" align="center" className="list-footer">
        <Typography.Text type="secondary">{t('records.shown', { count: rows.length })}</Typography.Text>
        {log.hasNextPage ? (
          <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : null}
      </Flex>
    </>
  );
}
