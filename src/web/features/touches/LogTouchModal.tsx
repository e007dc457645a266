import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, type ButtonProps, DatePicker, Form, Input, Modal, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactDto } from '../../../contracts/contacts.ts';
import { DEFAULT_DIRECTION, type Direction } from '../../../contracts/touches.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { wallTimeIn, wallTimeToDate } from '../../app/zonedTime.ts';
import { CONTACTS, contactName } from '../contacts/api.ts';
import { logTouch, refreshActivity } from './api.ts';
import { MANUAL_TYPES, touchTypeLabel } from './touchWords.tsx';

interface Values {
  contactId?: string;
  type: (typeof MANUAL_TYPES)[number];
  direction: Direction;
  occurredAt: Dayjs;
  note?: string;
}

const FIELD_NAMES = ['contactId', 'type', 'direction', 'occurredAt'];

/** A Dayjs holding the wall-clock time of `instant` in the user's zone (what the picker shows). */
function pickerValue(instant: Date, timeZone: string): Dayjs {
  const w = wallTimeIn(instant, timeZone);
  return dayjs(new Date(w.year, w.month - 1, w.day, w.hour, w.minute));
}

/**
 * Logs a call, meeting, note, letter… that happened outside Tandem. The date is read in the user's
 * own time zone (their profile), and the note goes to the touch's `metadata.subject`.
 */
export function LogTouchModal({
  contact,
  companyId,
  choices,
  onClose,
}: {
  /** The contact page's contact; absent on a company page, where `choices` are offered. */
  contact?: { id: string; companyId: string | null } | undefined;
  companyId: string | null;
  choices?: ContactDto[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const now = useMemo(() => pickerValue(new Date(), fmt.timeZone), [fmt.timeZone]);

  const submit = async (v: Values) => {
    const contactId = contact?.id ?? v.contactId;
    if (!contactId) return;
    const chosen = choices?.find((c) => c.id === contactId);
    const occurredAt = wallTimeToDate(
      {
        year: v.occurredAt.year(),
        month: v.occurredAt.month() + 1,
        day: v.occurredAt.date(),
        hour: v.occurredAt.hour(),
        minute: v.occurredAt.minute(),
      },
      fmt.timeZone,
    );
    const note = v.note?.trim();
    setBusy(true);
    setProblem(null);
    try {
      await logTouch({
        contactId,
        type: v.type,
        direction: v.direction,
        occurredAt: occurredAt.toISOString(),
        ...(note ? { metadata: { subject: note } } : {}),
      });
      const contactCompany = contact?.companyId ?? chosen?.companyId ?? companyId;
      refreshActivity(qc, CONTACTS, contactId, contactCompany);
      void qc.invalidateQueries({ queryKey: [CONTACTS, contactId] });
      message.success(t('touches.logged'));
      onClose();
    } catch (err) {
      const rest = applyFieldErrors(form, err, FIELD_NAMES);
      setProblem([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('touches.logTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'log-touch-save' } as ButtonProps}
      data-testid="log-touch-modal"
    >
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ type: 'call', direction: DEFAULT_DIRECTION.call, occurredAt: now }}
        onValuesChange={(changed: Partial<Values>) => {
          // A meeting is sales, a seminar marketing: follow the type until the user says otherwise.
          if (changed.type) form.setFieldValue('direction', DEFAULT_DIRECTION[changed.type]);
        }}
        onFinish={(v) => void submit(v)}
      >
        {contact ? null : (
          <Form.Item
            name="contactId"
            label={t('touches.fields.contact')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('touches.chooseContact')}
              options={(choices ?? []).map((c) => ({
                value: c.id,
                label: [contactName(c) || t('contacts.unnamed'), c.email].filter(Boolean).join(' · '),
              }))}
              notFoundContent={t('touches.noContacts')}
            />
          </Form.Item>
        )}
        <Form.Item name="type" label={t('touches.fields.type')}>
          <Select options={MANUAL_TYPES.map((type) => ({ value: type, label: touchTypeLabel(type, t) }))} />
        </Form.Item>
        <Form.Item name="direction" label={t('touches.fields.direction')} extra={t('touches.directionHelp')}>
          <Segmented
            options={(['sales', 'marketing'] as const).map((d) => ({
              value: d,
              label: t(`touches.directions.${d}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="occurredAt"
          label={t('touches.fields.occurredAt')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={t('touches.timeZoneHelp', { zone: fmt.timeZone })}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            className="full-width"
            allowClear={false}
            disabledDate={(d) => d.isAfter(now.endOf('day'))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('touches.fields.note')}>
          <Input.TextArea
            rows={4}
            maxLength={2000}
            showCount
            placeholder={t('touches.notePlaceholder')}
            data-testid="touch-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
