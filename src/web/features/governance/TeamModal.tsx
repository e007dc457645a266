import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { TEAMS_KEY, USERS_KEY } from '../records/directory.ts';

interface TeamValues {
  name: string;
  memberIds: string[];
  managerId?: string | null;
}

type Option = { value: string; label: string };

/**
 * Creates or edits a team (name and members) for Users & teams and for Routing. With `manager`,
 * the dialog also sets the team's manager (who gets its overflow queue) after the team is saved.
 */
export function TeamModal(props: {
  editing: TeamDto | 'new' | null;
  onClose: () => void;
  memberOptions: Option[];
  titles: { add: string; edit: string };
  manager?: { options: Option[]; current: (teamId: string) => string | null; hint: string };
}) {
  const { editing, onClose, manager } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<TeamValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The parent passes a new `manager` object each render; only a change of `editing` refills the form.
  const managerRef = useRef(manager);
  managerRef.current = manager;

  useEffect(() => {
    if (editing === null) return;
    setError(null);
    form.resetFields();
    if (editing !== 'new')
      form.setFieldsValue({
        name: editing.name,
        memberIds: editing.memberIds,
        managerId: managerRef.current?.current(editing.id) ?? null,
      });
  }, [editing, form]);

  const save = async (v: TeamValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = { name: v.name.trim(), memberIds: v.memberIds ?? [] };
      const team =
        editing === 'new' || editing === null
          ? await api.post<TeamDto>('/api/teams', body)
          : await api.patch<TeamDto>(`/api/teams/${editing.id}`, body);
      if (manager) {
        const before = editing === 'new' ? null : manager.current(team.id);
        if ((v.managerId ?? null) !== before)
          await api.put(`/api/lifecycle/teams/${team.id}`, { managerId: v.managerId ?? null });
      }
      message.success(t('teams.saved'));
      onClose();
      await Promise.all([
        qc.invalidateQueries({ queryKey: TEAMS_KEY }),
        qc.invalidateQueries({ queryKey: USERS_KEY }),
        ...(manager ? [qc.invalidateQueries({ queryKey: ['lifecycle'] })] : []),
      ]);
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'memberIds', 'managerId']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={editing === 'new' ? props.titles.add : props.titles.edit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} initialValues={{ memberIds: [] }}>
        <Form.Item
          name="name"
          label={t('teams.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('teams.fields.members')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={props.memberOptions} />
        </Form.Item>
        {manager ? (
          <Form.Item name="managerId" label={t('routing.teams.manager')} extra={manager.hint}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={manager.options} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
