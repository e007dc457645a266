import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { TEAMS_KEY, USERS_KEY, useTeams, useUsers } from '../records/directory.ts';

interface TeamValues {
  name: string;
  memberIds: string[];
}

export function TeamsTab() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<TeamDto | 'new' | null>(null);
  const [form] = Form.useForm<TeamValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userName = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);

  const open = (team: TeamDto | 'new') => {
    setError(null);
    setEditing(team);
  };

  const save = async (v: TeamValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = { name: v.name.trim(), memberIds: v.memberIds ?? [] };
      if (editing === 'new') await api.post('/api/teams', body);
      else if (editing) await api.patch(`/api/teams/${editing.id}`, body);
      message.success(t('teams.saved'));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: TEAMS_KEY });
      await qc.invalidateQueries({ queryKey: USERS_KEY });
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'memberIds']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

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
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('teams.new') : t('teams.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void save(v)}
          preserve={false}
          initialValues={
            editing && editing !== 'new'
              ? { name: editing.name, memberIds: editing.memberIds }
              : { memberIds: [] }
          }
        >
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
              options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
