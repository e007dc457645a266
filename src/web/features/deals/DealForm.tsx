import { useQuery } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { DealDto } from '../../../contracts/deals.ts';
import { api, type Page } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { useDebounced } from '../../ui/useDebounced.ts';
import { contactName } from '../contacts/api.ts';
import { DEALS, toMinor, useDealSettings } from './api.ts';

/** A contact picker that searches the server as you type. */
export function ContactSelect({
  value,
  onChange,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const contacts = useQuery({
    queryKey: ['contacts', 'picker', q],
    queryFn: () => api.get<Page<ContactDto>>('/api/contacts', { q, limit: 20 }),
    staleTime: 10_000,
  });
  const options = useMemo(
    () =>
      (contacts.data?.items ?? []).map((c) => ({
        value: c.id,
        label: c.email && contactName(c) !== c.email ? `${contactName(c)} · ${c.email}` : contactName(c),
      })),
    [contacts.data],
  );
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      allowClear
      loading={contacts.isFetching}
      placeholder={t('deals.chooseContact')}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      data-testid="deal-contact-select"
    />
  );
}

interface Values {
  name: string;
  contactId?: string | null;
  amount?: number | null;
  currency?: string;
}

/** The "New deal" dialog: name, contact, amount and currency (default: the reporting currency). */
export function DealForm({
  open,
  pipelineId,
  initialContactId,
  onClose,
  onCreated,
}: {
  open: boolean;
  pipelineId?: string | undefined;
  initialContactId?: string | undefined;
  onClose: () => void;
  onCreated: (deal: DealDto) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const settings = useDealSettings();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    const currency = v.currency || settings.data?.reportingCurrency || 'USD';
    try {
      const deal = await api.post<DealDto>(DEALS, {
        name: v.name,
        ...(pipelineId ? { pipelineId } : {}),
        ...(v.contactId ? { contactId: v.contactId } : {}),
        ...(v.amount !== undefined && v.amount !== null ? { amountMinor: toMinor(v.amount, currency) } : {}),
        currency,
      });
      form.resetFields();
      onCreated(deal);
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'contactId', 'currency']);
      if (rest.length || !Object.keys((err as { fields?: object }).fields ?? {}).length)
        message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('deals.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'deal-save' } as never}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ contactId: initialContactId }}>
        <Form.Item name="name" label={t('deals.fields.name')} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="deal-name" maxLength={200} />
        </Form.Item>
        <Form.Item name="contactId" label={t('deals.fields.contact')}>
          <ContactSelect />
        </Form.Item>
        <Form.Item label={t('deals.fields.amount')}>
          <Input.Group compact>
            <Form.Item name="amount" noStyle rules={[{ type: 'number', min: 0 }]}>
              <InputNumber min={0} style={{ width: '65%' }} data-testid="deal-amount" />
            </Form.Item>
            <Form.Item name="currency" noStyle rules={[{ pattern: /^[A-Z]{3}$/ }]}>
              <Input
                style={{ width: '35%' }}
                placeholder={settings.data?.reportingCurrency ?? 'USD'}
                maxLength={3}
                data-testid="deal-currency"
              />
            </Form.Item>
          </Input.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
