import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RepDto } from '../../../contracts/lifecycle.ts';
import type { TeamDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { isAdmin } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { TEAMS_KEY, USERS_KEY, useTeams, useUsers } from '../records/directory.ts';
import { TEAM_MANAGERS_KEY, useLeadSettings, useReps, useTeamManagers } from './admin.ts';
import { AbsenceModal, clearAbsence, RepSettingsModal } from './RepModals.tsx';

interface TeamValues {
  name: string;
  memberIds: string[];
  managerId?: string | null;
}

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
  const [form] = Form.useForm<TeamValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const admin = isAdmin(me.user.role);
  const defaultCapacity = settings.data?.monthlyCapacity ?? 10;
  const people = (users.data ?? []).filter((u) => u.active);
  const sales = people.filter((u) => u.role === 'sales_rep' || u.role === 'sales_manager');

  const open = (team: TeamDto | 'new') => {
    setError(null);
    // People may have been added since the list was cached: offer the current ones.
    void qc.invalidateQueries({ queryKey: USERS_KEY });
    form.resetFields();
    if (team !== 'new')
      form.setFieldsValue({
        name: team.name,
        memberIds: team.memberIds,
        managerId: managers.data?.get(team.id) ?? null,
      });
    setEditing(team);
  };

  const save = async (v: TeamValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = { name: v.name.trim(), memberIds: v.memberIds ?? [] };
      const team =
        editing === 'new'
          ? await api.post<TeamDto>('/api/teams', body)
          : await api.patch<TeamDto>(`/api/teams/${(editing as TeamDto).id}`, body);
      const before = editing === 'new' ? null : (managers.data?.get(team.id) ?? null);
      if ((v.managerId ?? null) !== before)
        await api.put(`/api/lifecycle/teams/${team.id}`, { managerId: v.managerId ?? null });
      message.success(t('teams.saved'));
      setEditing(null);
      await Promise.all([
        qc.invalidateQueries({ queryKey: TEAMS_KEY }),
        qc.invalidateQueries({ queryKey: USERS_KEY }),
        qc.invalidateQueries({ queryKey: ['lifecycle'] }),
      ]);
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'memberIds', 'managerId']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
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
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('routing.teams.add') : t('routing.teams.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item
            name="name"
            label={t('teams.fields.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="memberIds" label={t('teams.fields.members')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={people.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item
            name="managerId"
            label={t('routing.teams.manager')}
            extra={t('routing.teams.managerHint')}
          >
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={sales.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        </Form>
      </Modal>
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
