import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Select, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RepDto } from '../../../contracts/lifecycle.ts';
import type { TeamDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { isAdmin } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { TeamModal } from '../governance/TeamModal.tsx';
import { USERS_KEY, useTeams, useUsers } from '../records/directory.ts';
import { TEAM_MANAGERS_KEY, useLeadSettings, useReps, useTeamManagers } from './admin.ts';
import { AbsenceModal, clearAbsence, RepSettingsModal } from './RepModals.tsx';

/** Each team with its manager (overflow queue) and its reps' weight, capacity and absence. */
export function RoutingTeamsTab() {
  const { t } = useTranslation();
  const me = useSession();
  const teams = useTeams();
  const users = useUsers();
  const managers = useTeamManagers();
  const reps = useReps();
  const settings = useLeadSettings();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<TeamDto | 'new' | null>(null);
  const [rep, setRep] = useState<RepDto | null>(null);
  const [absent, setAbsent] = useState<RepDto | null>(null);
  const admin = isAdmin(me.user.role);
  const defaultCapacity = settings.data?.monthlyCapacity ?? 10;
  const people = (users.data ?? []).filter((u) => u.active);
  const sales = people.filter((u) => u.role === 'sales_rep' || u.role === 'sales_manager');

  const open = (team: TeamDto | 'new') => {
    // People may have been added since the list was cached: offer the current ones.
    void qc.invalidateQueries({ queryKey: USERS_KEY });
    setEditing(team);
  };

  const setManager = async (teamId: string, managerId: string | null) => {
    try {
      await api.put(`/api/lifecycle/teams/${teamId}`, { managerId });
      await qc.invalidateQueries({ queryKey: TEAM_MANAGERS_KEY });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const endAbsence = async (r: RepDto) => {
    try {
      await clearAbsence(r.userId);
      await qc.invalidateQueries({ queryKey: ['lifecycle'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const errorSource = [teams, reps, managers].find((q) => q.isError);
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <span className="muted">{t('routing.teams.hint')}</span>
        {admin ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('routing.teams.add')}
          </Button>
        ) : null}
      </Flex>
      {errorSource ? <Alert type="error" showIcon title={errorText(errorSource.error)} /> : null}
      {!teams.isLoading && !(teams.data ?? []).length ? (
        <Empty description={t('routing.teams.none')} />
      ) : null}
      {(teams.data ?? []).map((team) => (
        <TeamCard
          key={team.id}
          team={team}
          managerId={managers.data?.get(team.id) ?? null}
          managerOptions={sales.map((u) => ({ value: u.id, label: u.name }))}
          reps={(reps.data ?? []).filter((r) => r.teamIds.includes(team.id))}
          defaultCapacity={defaultCapacity}
          canEditTeam={admin}
          onEditTeam={() => open(team)}
          onManager={(id) => void setManager(team.id, id)}
          onRep={setRep}
          onAbsent={setAbsent}
          onBack={(r) => void endAbsence(r)}
        />
      ))}
      <RepSettingsModal rep={rep} defaultCapacity={defaultCapacity} onClose={() => setRep(null)} />
      <AbsenceModal
        userId={absent?.userId ?? ''}
        name={absent?.name ?? ''}
        open={absent !== null}
        onClose={() => setAbsent(null)}
      />
      <TeamModal
        editing={editing}
        onClose={() => setEditing(null)}
        memberOptions={people.map((u) => ({ value: u.id, label: u.name }))}
        titles={{ add: t('routing.teams.add'), edit: t('routing.teams.edit') }}
        manager={{
          options: sales.map((u) => ({ value: u.id, label: u.name })),
          current: (teamId) => managers.data?.get(teamId) ?? null,
          hint: t('routing.teams.managerHint'),
        }}
      />
    </Flex>
  );
}

function TeamCard(props: {
  team: TeamDto;
  managerId: string | null;
  managerOptions: { value: string; label: string }[];
  reps: RepDto[];
  defaultCapacity: number;
  canEditTeam: boolean;
  onEditTeam: () => void;
  onManager: (id: string | null) => void;
  onRep: (r: RepDto) => void;
  onAbsent: (r: RepDto) => void;
  onBack: (r: RepDto) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { team, managerId } = props;
  const columns: TableProps<RepDto>['columns'] = [
    {
      key: 'name',
      title: t('routing.reps.name'),
      render: (_, r) => (
        <Flex gap={6} align="center" wrap>
          <span>{r.name}</span>
          {r.userId === managerId ? <Tag color="blue">{t('routing.teams.manager')}</Tag> : null}
          {!r.routingActive ? <Tag>{t('routing.reps.outOfRoundRobin')}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'weight', title: t('routing.reps.weight'), dataIndex: 'weight' },
    {
      key: 'load',
      title: t('routing.reps.thisMonth'),
      render: (_, r) => `${r.assignedThisMonth} / ${r.monthlyCapacity ?? props.defaultCapacity}`,
    },
    {
      key: 'absence',
      title: t('routing.reps.absence'),
      render: (_, r) =>
        r.away ? (
          <Tag color="orange">{t('routing.reps.awayUntil', { date: fmt.dateTime(r.awayUntil) })}</Tag>
        ) : r.awayUntil ? (
          <Tag>{t('routing.reps.plannedAway', { date: fmt.dateTime(r.awayFrom) })}</Tag>
        ) : (
          <Tag color="green">{t('routing.reps.present')}</Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, r) => (
        <Flex gap={4} wrap>
          <Button size="small" onClick={() => props.onRep(r)}>
            {t('routing.reps.edit')}
          </Button>
          {r.awayUntil ? (
            <Button size="small" onClick={() => props.onBack(r)}>
              {t('routing.reps.back')}
            </Button>
          ) : (
            <Button size="small" onClick={() => props.onAbsent(r)}>
              {t('routing.reps.markAbsent')}
            </Button>
          )}
        </Flex>
      ),
    },
  ];
  return (
    <Card
      size="small"
      data-testid={`team-${team.name}`}
      title={
        <Flex gap={8} align="center">
          <TeamOutlined />
          {team.name}
        </Flex>
      }
      extra={
        <Flex gap={8} align="center">
          <span className="muted">{t('routing.teams.manager')}</span>
          <Select
            size="small"
            style={{ width: 200 }}
            allowClear
            value={managerId}
            placeholder={t('routing.teams.noManager')}
            options={props.managerOptions}
            aria-label={t('routing.teams.manager')}
            onChange={(v) => props.onManager(v ?? null)}
          />
          {props.canEditTeam ? (
            <Button size="small" icon={<EditOutlined />} onClick={props.onEditTeam}>
              {t('routing.teams.members')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Table<RepDto>
        rowKey="userId"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={props.reps}
        locale={{ emptyText: t('routing.teams.noReps') }}
      />
    </Card>
  );
}
