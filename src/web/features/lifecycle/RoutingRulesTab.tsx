import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Switch,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingConditionsDto, RoutingRuleDto } from '../../../contracts/lifecycle.ts';
import { ApiError, api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useNames, useTeams } from '../records/directory.ts';
import { RULES_KEY, splitList, useRoutingRules } from './admin.ts';

interface RuleValues {
  name: string;
  teamId: string;
  active: boolean;
  countries?: string[];
  regions?: string[];
  industries?: string[];
  products?: string[];
  minEmployees?: number | null;
  maxEmployees?: number | null;
}

const LISTS = ['countries', 'regions', 'industries', 'products'] as const;

function toBody(v: RuleValues) {
  const conditions: RoutingConditionsDto = {};
  for (const k of LISTS) {
    const list = splitList(v[k]);
    if (list.length) conditions[k] = list;
  }
  if (v.minEmployees !== undefined && v.minEmployees !== null) conditions.minEmployees = v.minEmployees;
  if (v.maxEmployees !== undefined && v.maxEmployees !== null) conditions.maxEmployees = v.maxEmployees;
  return { name: v.name.trim(), teamId: v.teamId, active: v.active, conditions };
}

/** Server keys such as `conditions.maxEmployees` to this form's flat field names. */
function fieldOf(key: string): string {
  return key.replace(/^conditions[./]/, '').split(/[./]/)[0] ?? key;
}

/** Routing rules in order (first match wins): add, edit, move up/down, switch off, delete. */
export function RoutingRulesTab() {
  const { t } = useTranslation();
  const rules = useRoutingRules();
  const teams = useTeams();
  const names = useNames();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<RoutingRuleDto | 'new' | null>(null);
  const [form] = Form.useForm<RuleValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = rules.data ?? [];

  const refresh = () => qc.invalidateQueries({ queryKey: RULES_KEY });

  const open = (rule: RoutingRuleDto | 'new') => {
    setError(null);
    form.resetFields();
    if (rule !== 'new')
      form.setFieldsValue({
        name: rule.name,
        teamId: rule.teamId,
        active: rule.active,
        ...rule.conditions,
      });
    setEditing(rule);
  };

  const save = async (v: RuleValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = toBody(v);
      if (editing === 'new') await api.post('/api/lifecycle/routing-rules', body);
      else if (editing) await api.patch(`/api/lifecycle/routing-rules/${editing.id}`, body);
      message.success(t('routing.rules.saved'));
      setEditing(null);
      await refresh();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length)
        (form as FormInstance).setFields(
          Object.entries(err.fields).map(([k, problem]) => ({ name: fieldOf(k), errors: [problem] })),
        );
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const move = (index: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    return act(() => api.put('/api/lifecycle/routing-rules/order', { ids }));
  };

  const describe = (c: RoutingConditionsDto) => {
    const parts: string[] = [];
    for (const k of LISTS) if (c[k]?.length) parts.push(`${t(`routing.rules.${k}`)}: ${c[k]!.join(', ')}`);
    if (c.minEmployees !== undefined || c.maxEmployees !== undefined)
      parts.push(`${t('routing.rules.employees')}: ${c.minEmployees ?? 0}–${c.maxEmployees ?? '∞'}`);
    return parts.length ? parts.join(' · ') : t('routing.rules.everyone');
  };

  const columns: TableProps<RoutingRuleDto>['columns'] = [
    { key: 'pos', title: '#', width: 50, render: (_, __, i) => i + 1 },
    { key: 'name', title: t('routing.rules.name'), dataIndex: 'name', className: 'record-name' },
    { key: 'when', title: t('routing.rules.when'), render: (_, r) => describe(r.conditions) },
    { key: 'team', title: t('routing.rules.team'), render: (_, r) => <Tag>{names.team(r.teamId)}</Tag> },
    {
      key: 'active',
      title: t('routing.rules.active'),
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.active}
          aria-label={t('routing.rules.active')}
          onChange={(active) => act(() => api.patch(`/api/lifecycle/routing-rules/${r.id}`, { active }))}
        />
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, r, i) => (
        <Flex gap={4}>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={t('routing.rules.up')}
            disabled={i === 0}
            onClick={() => move(i, -1)}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={t('routing.rules.down')}
            disabled={i === list.length - 1}
            onClick={() => move(i, 1)}
          />
          <Button
            size="small"
            icon={<EditOutlined />}
            aria-label={t('common.edit')}
            onClick={() => open(r)}
          />
          <Popconfirm
            title={t('routing.rules.confirmDelete')}
            onConfirm={() => act(() => api.delete(`/api/lifecycle/routing-rules/${r.id}`))}
          >
            <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <span className="muted">{t('routing.rules.hint')}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('routing.rules.add')}
        </Button>
      </Flex>
      {rules.isError ? <Alert type="error" showIcon title={errorText(rules.error)} /> : null}
      <Table<RoutingRuleDto>
        rowKey="id"
        size="small"
        loading={rules.isLoading}
        pagination={false}
        columns={columns}
        dataSource={list}
        data-testid="routing-rules"
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('routing.rules.add') : t('routing.rules.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} initialValues={{ active: true }}>
          <Form.Item
            name="name"
            label={t('routing.rules.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="teamId"
            label={t('routing.rules.team')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          {LISTS.map((k) => (
            <Form.Item key={k} name={k} label={t(`routing.rules.${k}`)} extra={t(`routing.rules.${k}Hint`)}>
              <Select mode="tags" tokenSeparators={[',']} open={false} suffixIcon={null} />
            </Form.Item>
          ))}
          <Flex gap={16}>
            <Form.Item name="minEmployees" label={t('routing.rules.minEmployees')}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="maxEmployees" label={t('routing.rules.maxEmployees')}>
              <InputNumber min={0} />
            </Form.Item>
          </Flex>
          <Form.Item name="active" label={t('routing.rules.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
