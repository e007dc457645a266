import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, InputNumber, Modal, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RepDto } from '../../../contracts/lifecycle.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';

interface RepValues {
  weight: number;
  monthlyCapacity: number | null;
  routingActive: boolean;
}

/** A rep's weight in the round-robin, monthly capacity (empty = the workspace default) and in/out. */
export function RepSettingsModal({
  rep,
  defaultCapacity,
  onClose,
}: {
  rep: RepDto | null;
  defaultCapacity: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<RepValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (rep)
      form.setFieldsValue({
        weight: rep.weight,
        monthlyCapacity: rep.monthlyCapacity,
        routingActive: rep.routingActive,
      });
  }, [rep, form]);

  const save = async (v: RepValues) => {
    if (!rep) return;
    setBusy(true);
    setError(null);
    try {
      await api.put(`/api/lifecycle/reps/${rep.userId}`, {
        weight: v.weight,
        monthlyCapacity: v.monthlyCapacity ?? null,
        routingActive: v.routingActive,
      });
      message.success(t('routing.reps.saved'));
      await qc.invalidateQueries({ queryKey: ['lifecycle'] });
      onClose();
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['weight', 'monthlyCapacity', 'routingActive']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={rep !== null}
      title={t('routing.reps.editTitle', { name: rep?.name ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="weight" label={t('routing.reps.weight')} extra={t('routing.reps.weightHint')}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item
          name="monthlyCapacity"
          label={t('routing.reps.capacity')}
          extra={t('routing.reps.capacityHint', { count: defaultCapacity })}
        >
          <InputNumber min={0} max={100000} placeholder={String(defaultCapacity)} />
        </Form.Item>
        <Form.Item
          name="routingActive"
          label={t('routing.reps.inRoundRobin')}
          valuePropName="checked"
          extra={t('routing.reps.inRoundRobinHint')}
        >
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface AbsenceValues {
  awayFrom?: Dayjs | null;
  awayUntil: Dayjs | null;
}

/** Marks an absence (from today when no start is given); routing skips the person meanwhile. */
export function AbsenceModal({
  userId,
  name,
  open,
  onClose,
}: {
  userId: string;
  name: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<AbsenceValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (v: AbsenceValues) => {
    setBusy(true);
    setError(null);
    try {
      await api.put(`/api/lifecycle/reps/${userId}/absence`, {
        awayFrom: v.awayFrom ? v.awayFrom.startOf('day').toISOString() : null,
        awayUntil: v.awayUntil ? v.awayUntil.startOf('day').toISOString() : null,
      });
      message.success(t('routing.absence.saved'));
      await qc.invalidateQueries({ queryKey: ['lifecycle'] });
      form.resetFields();
      onClose();
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['awayFrom', 'awayUntil']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('routing.absence.title', { name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="awayFrom" label={t('routing.absence.from')} extra={t('routing.absence.fromHint')}>
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item
          name="awayUntil"
          label={t('routing.absence.until')}
          extra={t('routing.absence.untilHint')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Ends an absence at once. */
export async function clearAbsence(userId: string): Promise<void> {
  await api.put(`/api/lifecycle/reps/${userId}/absence`, { awayFrom: null, awayUntil: null });
}
