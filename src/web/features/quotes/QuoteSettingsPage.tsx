import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Image, InputNumber, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QUOTE_SETTINGS, useQuoteSettings } from './api.ts';

/** Admins: the discount above which quotes need approval, and the logo printed on quote PDFs. */
export function QuoteSettingsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const settings = useQuoteSettings();
  const [threshold, setThreshold] = useState<number>(15);
  const [busy, setBusy] = useState(false);
  const [logoVersion, setLogoVersion] = useState(0);

  useEffect(() => {
    if (settings.data) setThreshold(settings.data.discountThresholdPercent);
  }, [settings.data]);

  if (settings.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (settings.error || !settings.data)
    return <Alert type="error" showIcon message={errorText(settings.error)} />;

  const save = async () => {
    setBusy(true);
    try {
      await api.patch(QUOTE_SETTINGS, { discountThresholdPercent: threshold });
      message.success(t('quotes.settings.saved'));
      await qc.invalidateQueries({ queryKey: [QUOTE_SETTINGS] });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const uploadLogo = async (file: File) => {
    try {
      await api.upload('/api/workspace/logo', file);
      message.success(t('quotes.settings.logoSaved'));
      setLogoVersion((v) => v + 1);
      await qc.invalidateQueries({ queryKey: [QUOTE_SETTINGS] });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <>
      <PageHeader title={t('nav.quoteSettings')} subtitle={t('quotes.settings.subtitle')} />
      <Flex vertical gap={16}>
        <Card title={t('quotes.settings.threshold')}>
          <Form layout="inline" onFinish={save}>
            <Form.Item label={t('quotes.settings.thresholdLabel')}>
              <InputNumber
                min={0}
                max={100}
                precision={2}
                addonAfter="%"
                value={threshold}
                onChange={(v) => setThreshold(Number(v ?? 0))}
                data-testid="discount-threshold"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
        <Card title={t('quotes.settings.logo')}>
          <Flex gap={24} align="center" wrap>
            {settings.data.hasLogo ? (
              <Image
                src={`/api/workspace/logo?v=${logoVersion}`}
                alt={settings.data.workspaceName}
                height={56}
                preview={false}
              />
            ) : (
              <Alert type="info" message={t('quotes.settings.noLogo')} />
            )}
            <Upload
              accept="image/png,image/jpeg"
              showUploadList={false}
              beforeUpload={(file) => {
                void uploadLogo(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />}>{t('quotes.settings.uploadLogo')}</Button>
            </Upload>
          </Flex>
        </Card>
      </Flex>
    </>
  );
}
