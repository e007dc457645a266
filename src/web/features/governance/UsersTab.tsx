import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Switch,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { timeZoneOptions } from '../../app/auth/timeZones.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { LOCALES } from '../../app/i18n/index.ts';
import type { Role } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { TEAMS_KEY, USERS_KEY, useTeams, useUsers } from '../records/directory.ts';

interface UserValues {
  name: string;
  email?: string;
  password?: string;
  role: Role;
  locale: (typeof LOCALES)[number];
  timeZone: string;
  teamIds?: string[];
  active?: boolean;
}

const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  marketing: 'purple',
  sales_manager: 'blue',
  sales_rep: 'cyan',
  service: 'default',
};
/** Every role (the Record above is exhaustive over the contract's Role type). */
const ROLES = Object.keys(ROLE_COLORS) as Role[];

export function UsersTab() {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const users = useUsers();
  const teams = useTeams();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<UserDto | 'new' | null>(null);
  const [form] = Form.useForm<UserValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(() => timeZoneOptions(), []);
  const teamName = useMemo(() => new Map((teams.data ?? []).map((tm) => [tm.id, tm.name])), [teams.data]);
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));

  const open = (u: UserDto | 'new') => {
    setError(null);
    setEditing(u);
  };

  const save = async (v: UserValues) => {
    setBusy(true);
    setError(null);
    try {
      if (editing === 'new') {
        await api.post('/api/users', {
          name: v.name.trim(),
          email: v.email?.trim(),
          password: v.password,
          role: v.role,
          locale: v.locale,
          timeZone: v.timeZone,
          teamIds: v.teamIds ?? [],
        });
        message.success(t('users.created'));
      } else if (editing) {
        await api.patch(`/api/users/${editing.id}`, {
          name: v.name.trim(),
          role: v.role,
          locale: v.locale,
          timeZone: v.timeZone,
          active: v.active,
          ...(v.password ? { password: v.password } : {}),
        });
        message.success(t('users.saved'));
      }
      setEditing(null);
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      await qc.invalidateQueries({ queryKey: TEAMS_KEY });
    } catch (err) {
      const rest = applyFieldErrors(form, err, [
        'name',
        'email',
        'password',
        'role',
        'locale',
        'timeZone',
        'teamIds',
      ]);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableProps<UserDto>['columns'] = [
    {
      key: 'name',
      title: t('users.fields.name'),
      render: (_, u) => (
        <div>
          <div className="record-name">{u.name}</div>
          <div className="muted">{u.email}</div>
        </div>
      ),
    },
    {
      key: 'role',
      title: t('users.fields.role'),
      render: (_, u) => <Tag color={ROLE_COLORS[u.role]}>{t(`roles.${u.role}`)}</Tag>,
    },
    {
      key: 'teams',
      title: t('users.fields.teams'),
      render: (_, u) => u.teamIds.map((id) => <Tag key={id}>{teamName.get(id) ?? id}</Tag>),
      responsive: ['md'],
    },
    {
      key: 'status',
      title: t('users.fields.status'),
      render: (_, u) =>
        u.active ? (
          <Badge status="success" text={t('users.active')} />
        ) : (
          <Badge status="default" text={t('users.inactive')} />
        ),
    },
    {
      key: 'lastSignInAt',
      title: t('users.fields.lastSignIn'),
      render: (_, u) => (u.lastSignInAt ? fmt.dateTime(u.lastSignInAt) : t('users.never')),
      responsive: ['lg'],
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, u) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => open(u)}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  const isNew = editing === 'new';
  const current = editing && editing !== 'new' ? editing : null;
  const initialValues: Partial<UserValues> = current
    ? {
        name: current.name,
        role: current.role,
        locale: current.locale,
        timeZone: current.timeZone,
        active: current.active,
      }
    : { role: 'sales_rep', locale: me.user.locale, timeZone: me.user.timeZone, teamIds: [] };

  return (
    <>
      <Flex justify="flex-end" className="toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('users.new')}
        </Button>
      </Flex>
      {users.isError ? (
        <Alert type="error" showIcon title={errorText(users.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<UserDto>
          rowKey="id"
          columns={columns}
          dataSource={users.data ?? []}
          loading={users.isPending}
          pagination={false}
          size="middle"
        />
      </Card>
      <Modal
        open={editing !== null}
        title={isNew ? t('users.new') : t('users.edit')}
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
          initialValues={initialValues}
          preserve={false}
        >
          <Form.Item
            name="name"
            label={t('users.fields.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={120} />
          </Form.Item>
          {isNew ? (
            <Form.Item
              name="email"
              label={t('users.fields.email')}
              rules={[{ required: true, type: 'email', message: t('validation.email') }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          ) : null}
          <Form.Item
            name="password"
            label={isNew ? t('users.fields.password') : t('users.fields.newPassword')}
            extra={isNew ? t('auth.setup.passwordHelp') : t('users.newPasswordHelp')}
            rules={[{ required: isNew, min: 10, message: t('validation.passwordLength') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={t('users.fields.role')} extra={t('users.roleHelp')}>
            <Select options={roleOptions} />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item name="locale" label={t('users.fields.language')} className="grow">
              <Select options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
            </Form.Item>
            <Form.Item name="timeZone" label={t('users.fields.timeZone')} className="grow">
              <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
            </Form.Item>
          </Flex>
          {isNew ? (
            <Form.Item name="teamIds" label={t('users.fields.teams')}>
              <Select
                mode="multiple"
                options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="active"
              label={t('users.fields.status')}
              valuePropName="checked"
              extra={t('users.deactivateHelp')}
            >
              <Switch
                checkedChildren={t('users.active')}
                unCheckedChildren={t('users.inactive')}
                disabled={current?.id === me.user.id}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
