import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, InputNumber, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LifecycleSettings } from '../../../contracts/lifecycle.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { SETTINGS_KEY, useLeadSettings } from './admin.ts';

const FIELDS = [
  'disqualifyReasons',
  'slaHours',
  'slaWarmHours',
  'slaHotHours',
  'recycleDays',
  'cadenceTarget',
  'monthlyCapacity',
] as const;

/**
 * Admins and sales managers: disqualification reasons, the first-touch SLA per temperature, when an
 * untouched lead goes back to marketing, the cadence target and the default monthly capacity.
 */
export function LeadSettingsPage() {
  const { t } = useTranslation();
  const settings = useLeadSettings();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<LifecycleSettings>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const general = Form.useWatch('slaHours', form);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  if (settings.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (settings.error || !settings.data)
    return <Alert type="error" showIcon title={errorText(settings.error)} />;

  const save = async (v: LifecycleSettings) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<LifecycleSettings>('/api/lifecycle/settings', {
        ...v,
        slaWarmHours: v.slaWarmHours ?? null,
        disqualifyReasons: (v.disqualifyReasons ?? []).map((r) => r.trim()).filter(Boolean),
      });
      qc.setQueryData(SETTINGS_KEY, saved);
      message.success(t('leadSettings.saved'));
    } catch (err) {
      const rest = applyFieldErrors(form, err, [...FIELDS]);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const reasonLabel = (r: string) => t(`lifecycle.reasons.${r}`, { defaultValue: r });
  return (
    <>
      <PageHeader title={t('nav.leadSettings')} subtitle={t('leadSettings.subtitle')} />
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} initialValues={settings.data}>
        <Flex vertical gap={16}>
          {error ? <Alert type="error" showIcon title={error} data-testid="lead-settings-error" /> : null}
          <Card title={t('leadSettings.disqualify')}>
            <Form.Item name="disqualifyReasons" extra={t('leadSettings.disqualifyHint')}>
              <Select
                mode="tags"
                tokenSeparators={[',']}
                aria-label={t('leadSettings.disqualify')}
                labelRender={(o) => reasonLabel(String(o.value))}
                options={settings.data.disqualifyReasons.map((r) => ({ value: r, label: reasonLabel(r) }))}
              />
            </Form.Item>
          </Card>
          <Card title={t('leadSettings.sla')} extra={t('leadSettings.slaHint')}>
            <Flex gap={16} wrap>
              <Form.Item name="slaHours" label={t('leadSettings.slaCold')}>
                <InputNumber min={0.25} max={720} step={1} />
              </Form.Item>
              <Form.Item name="slaWarmHours" label={t('leadSettings.slaWarm')}>
                <InputNumber min={0.25} max={720} step={1} placeholder={String(general ?? '')} />
              </Form.Item>
              <Form.Item name="slaHotHours" label={t('leadSettings.slaHot')}>
                <InputNumber min={0.25} max={720} step={1} />
              </Form.Item>
              <Form.Item name="recycleDays" label={t('leadSettings.recycleDays')}>
                <InputNumber min={1} max={365} />
              </Form.Item>
            </Flex>
          </Card>
          <Card title={t('leadSettings.work')}>
            <Flex gap={16} wrap>
              <Form.Item name="cadenceTarget" label={t('leadSettings.cadenceTarget')}>
                <InputNumber min={1} max={100} />
              </Form.Item>
              <Form.Item
                name="monthlyCapacity"
                label={t('leadSettings.monthlyCapacity')}
                extra={t('leadSettings.monthlyCapacityHint')}
              >
                <InputNumber min={0} max={100000} />
              </Form.Item>
            </Flex>
          </Card>
          <Flex>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Flex>
        </Flex>
      </Form>
    </>
  );
}
