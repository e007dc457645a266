import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import type { CustomFieldDto } from '../../../contracts/customFields.ts';
import type { Formatters } from '../../app/format.ts';

export type CustomValue = string | number | boolean | string[] | null;
export type FormValue = CustomValue | Dayjs | undefined;

const DATE_FORMAT = 'YYYY-MM-DD';

/** Form.Items for the workspace's custom fields, one control per type, named ['custom', key]. */
export function CustomFieldItems({ fields, t }: { fields: CustomFieldDto[]; t: TFunction }) {
  return (
    <>
      {fields.map((f) => (
        <Form.Item
          key={f.id}
          name={['custom', f.key]}
          label={f.label}
          valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
          rules={
            f.required && f.type !== 'boolean'
              ? [{ required: true, message: t('validation.required') }]
              : undefined
          }
        >
          {control(f, t)}
        </Form.Item>
      ))}
    </>
  );
}

function control(f: CustomFieldDto, t: TFunction) {
  const options = f.options.map((o) => ({ value: o, label: o }));
  switch (f.type) {
    case 'number':
      return <InputNumber className="full-width" />;
    case 'date':
      return <DatePicker className="full-width" format={DATE_FORMAT} />;
    case 'select':
      return <Select options={options} allowClear placeholder={t('records.choose')} />;
    case 'multi_select':
      return <Select mode="multiple" options={options} allowClear placeholder={t('records.choose')} />;
    case 'boolean':
      return <Switch />;
    default:
      return <Input maxLength={2000} />;
  }
}

/** Stored values → form values (dates become dayjs objects for the DatePicker). */
export function customToForm(
  fields: CustomFieldDto[],
  custom: Record<string, CustomValue>,
): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const f of fields) {
    const v = custom[f.key];
    if (v === undefined || v === null) continue;
    out[f.key] = f.type === 'date' && typeof v === 'string' ? dayjs(v) : v;
  }
  return out;
}

/**
 * Form values → API values. `clearEmpty` (edits) sends null for a cleared field so the server
 * removes it; creates simply leave empty fields out.
 */
export function customFromForm(
  fields: CustomFieldDto[],
  values: Record<string, FormValue> | undefined,
  clearEmpty: boolean,
): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const f of fields) {
    const v = values?.[f.key];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (clearEmpty) out[f.key] = null;
      continue;
    }
    if (dayjs.isDayjs(v)) out[f.key] = v.format(DATE_FORMAT);
    else if (typeof v === 'string') out[f.key] = v.trim();
    else out[f.key] = v;
  }
  return out;
}

/** A stored value for display (booleans and dates localised). */
export function formatCustomValue(
  f: CustomFieldDto | undefined,
  v: CustomValue | undefined,
  fmt: Formatters,
  t: TFunction,
): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'number') return fmt.number(v);
  if (f?.type === 'date') return fmt.plainDate(v);
  return v;
}
