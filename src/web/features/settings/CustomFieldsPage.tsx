import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
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
  Popconfirm,
  Segmented,
  Select,
  Switch,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { CustomFieldDto } from '../../../contracts/customFields.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { customFieldsKey, useCustomFields } from '../records/directory.ts';

type Entity = CustomFieldDto['entity'];
type FieldType = CustomFieldDto['type'];

const TYPE_COLORS: Record<FieldType, string> = {
  text: 'default',
  number: 'geekblue',
  date: 'cyan',
  select: 'purple',
  multi_select: 'magenta',
  boolean: 'gold',
};
const TYPES = Object.keys(TYPE_COLORS) as FieldType[];
const hasOptions = (type: FieldType | undefined) => type === 'select' || type === 'multi_select';

interface FieldValues {
  label: string;
  key: string;
  type: FieldType;
  options: string[];
  required: boolean;
}

/** A key suggestion from an English label ("Annual revenue" → annual_revenue); empty for other scripts. */
function suggestKey(label: string): string {
  const key = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[0-9_]+/, '');
  return key.slice(0, 40);
}

export function CustomFieldsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const entity: Entity = params.get('entity') === 'company' ? 'company' : 'contact';
  const fields = useCustomFields(entity);
  const [editing, setEditing] = useState<CustomFieldDto | 'new' | null>(null);
  const [form] = Form.useForm<FieldValues>();
  const type = Form.useWatch('type', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [keyTouched, setKeyTouched] = useState(false);

  const refresh = () => qc.invalidateQueries({ queryKey: customFieldsKey(entity) });

  const open = (f: CustomFieldDto | 'new') => {
    setError(null);
    setKeyTouched(false);
    setEditing(f);
  };

  const save = async (v: FieldValues) => {
    setBusy(true);
    setError(null);
    try {
      const options = hasOptions(v.type) ? (v.options ?? []) : [];
      if (editing === 'new') {
        await api.post('/api/custom-fields', {
          entity,
          key: v.key,
          label: v.label.trim(),
          type: v.type,
          options,
          required: v.required ?? false,
        });
      } else if (editing) {
        await api.patch(`/api/custom-fields/${editing.id}`, {
          label: v.label.trim(),
          required: v.required ?? false,
          ...(hasOptions(editing.type) ? { options } : {}),
        });
      }
      message.success(t('customFields.saved'));
      setEditing(null);
      await refresh();
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['label', 'key', 'type', 'options', 'required']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (f: CustomFieldDto) => {
    try {
      await api.delete(`/api/custom-fields/${f.id}`);
      message.success(t('customFields.deleted'));
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: TableProps<CustomFieldDto>['columns'] = [
    { key: 'label', title: t('customFields.fields.label'), dataIndex: 'label', className: 'record-name' },
    {
      key: 'key',
      title: t('customFields.fields.key'),
      render: (_, f) => <Typography.Text code>{f.key}</Typography.Text>,
    },
    {
      key: 'type',
      title: t('customFields.fields.type'),
      render: (_, f) => <Tag color={TYPE_COLORS[f.type]}>{t(`customFields.types.${f.type}`)}</Tag>,
    },
    {
      key: 'options',
      title: t('customFields.fields.options'),
      render: (_, f) => f.options.map((o) => <Tag key={o}>{o}</Tag>),
      responsive: ['md'],
    },
    {
      key: 'required',
      title: t('customFields.fields.required'),
      render: (_, f) => (f.required ? t('common.yes') : t('common.no')),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 200,
      render: (_, f) => (
        <Flex gap={8}>
          <Button size="small" icon={<EditOutlined />} onClick={() => open(f)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('customFields.deleteConfirm', { label: f.label })}
            description={t('customFields.deleteHelp')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove(f)}
          >
            <Button size="small" danger icon={<DeleteOutlined />}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  const isNew = editing === 'new';
  const current = editing && editing !== 'new' ? editing : null;

  return (
    <>
      <PageHeader
        title={t('nav.customFields')}
        subtitle={t('customFields.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('customFields.new')}
          </Button>
        }
      />
      <Segmented
        className="toolbar"
        value={entity}
        onChange={(v) => setParams(v === 'company' ? { entity: 'company' } : {}, { replace: true })}
        options={[
          { value: 'contact', label: t('customFields.entities.contact') },
          { value: 'company', label: t('customFields.entities.company') },
        ]}
      />
      {fields.isError ? (
        <Alert type="error" showIcon title={errorText(fields.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<CustomFieldDto>
          rowKey="id"
          columns={columns}
          dataSource={fields.data ?? []}
          loading={fields.isPending}
          pagination={false}
          size="middle"
          locale={{ emptyText: t('customFields.empty') }}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={
          isNew
            ? t('customFields.newFor', { entity: t(`customFields.entities.${entity}`) })
            : t('customFields.edit')
        }
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
          preserve={false}
          onFinish={(v) => void save(v)}
          initialValues={
            current
              ? {
                  label: current.label,
                  key: current.key,
                  type: current.type,
                  options: current.options,
                  required: current.required,
                }
              : { type: 'text', options: [], required: false }
          }
          onValuesChange={(changed: Partial<FieldValues>) => {
            if (isNew && 'label' in changed && !keyTouched)
              form.setFieldValue('key', suggestKey(changed.label ?? ''));
            if ('key' in changed) setKeyTouched(true);
          }}
        >
          <Form.Item
            name="label"
            label={t('customFields.fields.label')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item
            name="key"
            label={t('customFields.fields.key')}
            extra={t('customFields.keyHelp')}
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('customFields.keyRule') },
            ]}
          >
            <Input disabled={!isNew} maxLength={40} />
          </Form.Item>
          <Form.Item name="type" label={t('customFields.fields.type')}>
            <Select
              disabled={!isNew}
              options={TYPES.map((ty) => ({ value: ty, label: t(`customFields.types.${ty}`) }))}
            />
          </Form.Item>
          {hasOptions(type) ? (
            <Form.Item
              name="options"
              label={t('customFields.fields.options')}
              extra={t('customFields.optionsHelp')}
              rules={[{ required: true, type: 'array', min: 1, message: t('customFields.optionsRequired') }]}
            >
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',']} />
            </Form.Item>
          ) : null}
          <Form.Item name="required" label={t('customFields.fields.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
