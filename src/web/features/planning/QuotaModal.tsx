import { Button, Form, InputNumber, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuotaInput } from '../../../contracts/planning.ts';
import { fromMinor, toMinor } from '../deals/api.ts';

type Quarters = [number, number, number, number];

/** The year split into four quarters that sum to it exactly (the remainder goes to Q4), as the server does. */
function evenQuarters(annual: number): Quarters {
  const q = Math.floor(annual / 4);
  return [q, q, q, annual - 3 * q];
}

interface Fields {
  annual: number | null;
  q1: number | null;
  q2: number | null;
  q3: number | null;
  q4: number | null;
}
const QUARTERS = ['q1', 'q2', 'q3', 'q4'] as const;

/**
 * Edits one quota (a rep's or a team's): the year and its four quarters. Typing the year splits it
 * evenly over the quarters; typing a quarter makes the year their sum, so the two always agree.
 */
export function QuotaModal({
  name,
  currency,
  initial,
  onSave,
  onClose,
}: {
  /** Whose quota; null closes the dialog. */
  name: string | null;
  currency: string;
  initial: { annualMinor: number; quartersMinor: number[] };
  onSave: (input: QuotaInput) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState<'save' | 'approve' | null>(null);
  // The dialog's content is destroyed when hidden, so each opening starts from these values.
  const [q1, q2, q3, q4] = initial.quartersMinor.map((m) => fromMinor(m, currency) ?? null);
  const initialValues: Fields = {
    annual: fromMinor(initial.annualMinor, currency),
    q1: q1 ?? null,
    q2: q2 ?? null,
    q3: q3 ?? null,
    q4: q4 ?? null,
  };

  const onValuesChange = (changed: Partial<Fields>, all: Fields) => {
    if ('annual' in changed) {
      const split = evenQuarters(toMinor(changed.annual, currency) ?? 0).map((m) => fromMinor(m, currency));
      form.setFieldsValue({ q1: split[0], q2: split[1], q3: split[2], q4: split[3] });
    } else {
      const sum = QUARTERS.reduce((s, k) => s + (toMinor(all[k], currency) ?? 0), 0);
      form.setFieldValue('annual', fromMinor(sum, currency));
    }
  };

  const save = async (approve: boolean) => {
    const v = form.getFieldsValue();
    const quartersMinor = QUARTERS.map((k) => toMinor(v[k], currency) ?? 0);
    setBusy(approve ? 'approve' : 'save');
    try {
      await onSave({ annualMinor: quartersMinor.reduce((s, x) => s + x, 0), quartersMinor, approve });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={name !== null}
      title={t('planning.editQuota', { name })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button loading={busy === 'save'} onClick={() => void save(false)} data-testid="quota-save">
            {t('planning.saveDraft')}
          </Button>
          <Button
            type="primary"
            loading={busy === 'approve'}
            onClick={() => void save(true)}
            data-testid="quota-approve"
          >
            {t('planning.saveApprove')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={onValuesChange}
        data-testid="quota-form"
      >
        <Form.Item name="annual" label={t('planning.annualQuota')}>
          <InputNumber min={0} addonAfter={currency} aria-label={t('planning.annualQuota')} />
        </Form.Item>
        <Space wrap>
          {QUARTERS.map((k, i) => (
            <Form.Item key={k} name={k} label={`Q${i + 1}`}>
              <InputNumber min={0} addonAfter={currency} aria-label={`Q${i + 1}`} />
            </Form.Item>
          ))}
        </Space>
      </Form>
    </Modal>
  );
}
