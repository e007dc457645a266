import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Table, type TableProps, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamDto } from '../../../contracts/workspaces.ts';
import { useErrorText } from '../../app/errors.ts';
import { useTeams, useUsers } from '../records/directory.ts';
import { TeamModal } from './TeamModal.tsx';

export function TeamsTab() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers();
  const errorText = useErrorText();
  const [editing, setEditing] = useState<TeamDto | 'new' | null>(null);
  const userName = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);
  const open = (team: TeamDto | 'new') => setEditing(team);

  const columns: TableProps<TeamDto>['columns'] = [
    { key: 'name', title: t('teams.fields.name'), dataIndex: 'name', className: 'record-name' },
    {
      key: 'members',
      title: t('teams.fields.members'),
      render: (_, team) =>
        team.memberIds.length ? (
          team.memberIds.map((id) => <Tag key={id}>{userName.get(id) ?? id}</Tag>)
        ) : (
          <span className="muted">{t('teams.noMembers')}</span>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      render: (_, team) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => open(team)}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Flex justify="flex-end" className="toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('teams.new')}
        </Button>
      </Flex>
      {teams.isError ? (
        <Alert type="error" showIcon title={errorText(teams.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<TeamDto>
          rowKey="id"
          columns={columns}
          dataSource={teams.data ?? []}
          loading={teams.isPending}
          pagination={false}
          size="middle"
          locale={{ emptyText: t('teams.empty') }}
        />
      </Card>
      <TeamModal
        editing={editing}
        onClose={() => setEditing(null)}
        memberOptions={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
        titles={{ add: t('teams.new'), edit: t('teams.edit') }}
      />
    </>
  );
}
