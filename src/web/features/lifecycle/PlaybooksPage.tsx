import { CopyOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Switch,
  Tabs,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type PlaybookDto,
  type PlaybookStep,
  TASK_TYPES,
  TEMPERATURES,
} from '../../../contracts/lifecycle.ts';
import { ApiError, api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PLAYBOOKS_KEY, splitList, usePlaybooks, useSegmentOptions } from './admin.ts';

type Temperature = (typeof TEMPERATURES)[number];

interface PlaybookValues {
  name: string;
  countries?: string[];
  segment?: string | null;
  segmentId?: string | null;
  active: boolean;
  steps: PlaybookStep[];
}

/** `steps.1.title` → ['steps', 1, 'title'] (the form's name path). */
function namePath(key: string): (string | number)[] {
  return key
    .split(/[./]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Playbooks per temperature: the shipped default (read-only, copy to change it) and the workspace's
 * own, optionally for a market (countries), a tag or a saved segment; the most specific one wins.
 */
export function PlaybooksPage() {
  const { t } = useTranslation();
  const playbooks = usePlaybooks();
  const errorText = useErrorText();
  const [temperature, setTemperature] = useState<Temperature>('hot');
  const [editing, setEditing] = useState<{ playbook: PlaybookDto; copy: boolean } | null>(null);
  const list = (playbooks.data ?? []).filter((p) => p.temperature === temperature);

  return (
    <>
      <PageHeader title={t('nav.playbooks')} subtitle={t('playbooks.subtitle')} />
      {playbooks.isError ? <Alert type="error" showIcon title={errorText(playbooks.error)} /> : null}
      <Tabs
        activeKey={temperature}
        onChange={(k) => setTemperature(k as Temperature)}
        items={TEMPERATURES.map((tp) => ({ key: tp, label: t(`lifecycle.temperatures.${tp}`) }))}
      />
      <Flex vertical gap={12}>
        {list.map((p) => (
          <PlaybookCard
            key={p.id ?? `default-${p.temperature}`}
            playbook={p}
            onEdit={(copy) => setEditing({ playbook: p, copy })}
          />
        ))}
        <Flex>
          <Button
            icon={<PlusOutlined />}
            onClick={() => {
              const base = list.find((p) => p.builtIn) ?? list[0];
              if (base) setEditing({ playbook: base, copy: true });
            }}
          >
            {t('playbooks.add')}
          </Button>
        </Flex>
      </Flex>
      <PlaybookModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function PlaybookCard({ playbook: p, onEdit }: { playbook: PlaybookDto; onEdit: (copy: boolean) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const segments = useSegmentOptions();
  const segmentName = p.segmentId
    ? (segments.data?.find((s) => s.id === p.segmentId)?.name ?? t('playbooks.deletedSegment'))
    : null;
  const remove = async () => {
    try {
      await api.delete(`/api/lifecycle/playbooks/${p.id}`);
      await qc.invalidateQueries({ queryKey: PLAYBOOKS_KEY });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card
      size="small"
      data-testid="playbook"
      title={
        <Flex gap={8} align="center" wrap>
          <span>{p.name}</span>
          {p.builtIn ? <Tag>{t('playbooks.builtIn')}</Tag> : null}
          {!p.active ? <Tag color="default">{t('playbooks.inactive')}</Tag> : null}
          {p.countries.length ? <Tag color="blue">{p.countries.join(', ')}</Tag> : null}
          {p.segment ? <Tag color="purple">#{p.segment}</Tag> : null}
          {segmentName ? <Tag color="geekblue">{segmentName}</Tag> : null}
        </Flex>
      }
      extra={
        <Flex gap={4}>
          {p.builtIn ? (
            <Button size="small" icon={<CopyOutlined />} onClick={() => onEdit(true)}>
              {t('playbooks.customize')}
            </Button>
          ) : (
            <>
              <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(false)}>
                {t('common.edit')}
              </Button>
              <Popconfirm title={t('playbooks.confirmDelete')} onConfirm={() => void remove()}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            </>
          )}
        </Flex>
      }
    >
      <ol className="playbook-steps">
        {p.steps.map((s) => (
          <li key={s.key}>
            <Tag color={s.kind === 'nurture' ? 'green' : 'orange'}>{t(`playbooks.kinds.${s.kind}`)}</Tag>
            {t(`lifecycle.taskTypes.${s.type}`)} · {s.title} ·{' '}
            <span className="muted">{t('playbooks.dueIn', { count: s.dueInHours })}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function PlaybookModal({
  editing,
  onClose,
}: {
  editing: { playbook: PlaybookDto; copy: boolean } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const segments = useSegmentOptions();
  const [form] = Form.useForm<PlaybookValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Fill the form each time a playbook is opened.
  useEffect(() => {
    setError(null);
    if (!editing) return;
    const p = editing.playbook;
    form.setFieldsValue({
      name: editing.copy ? t('playbooks.copyName', { name: p.name }) : p.name,
      countries: p.countries,
      segment: p.segment,
      segmentId: p.segmentId,
      active: p.active,
      steps: p.steps,
    });
  }, [editing, form, t]);

  const save = async (v: PlaybookValues) => {
    if (!editing) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        name: v.name.trim(),
        countries: splitList(v.countries),
        segment: v.segment?.trim() ? v.segment.trim() : null,
        segmentId: v.segmentId ?? null,
        active: v.active,
        steps: (v.steps ?? []).map((s) => ({ ...s, key: s.key.trim(), title: s.title.trim() })),
      };
      if (editing.copy)
        await api.post('/api/lifecycle/playbooks', { ...body, temperature: editing.playbook.temperature });
      else await api.patch(`/api/lifecycle/playbooks/${editing.playbook.id}`, body);
      message.success(t('playbooks.saved'));
      await qc.invalidateQueries({ queryKey: PLAYBOOKS_KEY });
      onClose();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length)
        (form as FormInstance).setFields(
          Object.entries(err.fields).map(([k, problem]) => ({ name: namePath(k), errors: [problem] })),
        );
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const typeOptions = TASK_TYPES.map((ty) => ({ value: ty, label: t(`lifecycle.taskTypes.${ty}`) }));
  return (
    <Modal
      open={editing !== null}
      width={960}
      title={editing?.copy ? t('playbooks.add') : t('playbooks.edit')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Flex gap={16} wrap>
          <Form.Item
            name="name"
            label={t('playbooks.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={200} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="active" label={t('playbooks.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="countries" label={t('playbooks.countries')} extra={t('playbooks.countriesHint')}>
            <Select
              mode="tags"
              tokenSeparators={[',']}
              open={false}
              suffixIcon={null}
              style={{ width: 260 }}
            />
          </Form.Item>
          <Form.Item name="segment" label={t('playbooks.tag')} extra={t('playbooks.tagHint')}>
            <Input maxLength={100} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="segmentId" label={t('playbooks.segment')}>
            <Select
              allowClear
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
        </Flex>
        <Form.List name="steps">
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={4}>
              {fields.map(({ key, name }) => (
                <Flex key={key} gap={8} align="start" wrap data-testid="playbook-step">
                  <Form.Item name={[name, 'key']} label={t('playbooks.stepKey')}>
                    <Input style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'kind']} label={t('playbooks.kind')}>
                    <Select
                      style={{ width: 130 }}
                      options={(['task', 'nurture'] as const).map((k) => ({
                        value: k,
                        label: t(`playbooks.kinds.${k}`),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[name, 'type']} label={t('playbooks.type')}>
                    <Select style={{ width: 140 }} options={typeOptions} />
                  </Form.Item>
                  <Form.Item name={[name, 'title']} label={t('playbooks.stepTitle')}>
                    <Input style={{ width: 240 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'dueInHours']} label={t('playbooks.dueInHours')}>
                    <InputNumber min={0} max={2160} style={{ width: 100 }} />
                  </Form.Item>
                  <Button
                    style={{ marginTop: 30 }}
                    icon={<DeleteOutlined />}
                    aria-label={t('playbooks.removeStep')}
                    onClick={() => remove(name)}
                  />
                </Flex>
              ))}
              <Form.ErrorList errors={errors} />
              <Flex>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    add({
                      key: `step_${fields.length + 1}`,
                      kind: 'task',
                      type: 'call',
                      title: '',
                      dueInHours: 24,
                    })
                  }
                >
                  {t('playbooks.addStep')}
                </Button>
              </Flex>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
