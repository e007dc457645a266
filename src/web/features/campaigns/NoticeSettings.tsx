import { BellOutlined } from '@ant-design/icons';
import { App, Button, Form, InputNumber, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useCampaignSettings, useSaveCampaignSettings } from './api.ts';

/**
 * The workspace's launch-notice period ("involve sales early"): how many days before a campaign's
 * start the owners of its audience are told. A campaign's own notice days override it.
 */
export function NoticeSettingsButton() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const settings = useCampaignSettings(open);
  const save = useSaveCampaignSettings();
  const [form] = Form.useForm<{ noticeDays: number }>();

  const submit = async (v: { noticeDays: number }) => {
    try {
      const r = await save.mutateAsync({ noticeDays: v.noticeDays });
      void message.success(t('campaigns.noticeSaved', { days: r.noticeDays }));
      setOpen(false);
    } catch (err) {
      const text = err instanceof ApiError ? (err.fields.noticeDays ?? errorText(err)) : errorText(err);
      form.setFields([{ name: 'noticeDays', errors: [text] }]);
    }
  };

  return (
    <>
      <Button icon={<BellOutlined />} onClick={() => setOpen(true)}>
        {t('campaigns.noticeSettings')}
      </Button>
      <Modal
        open={open}
        title={t('campaigns.noticeSettings')}
        okText={t('common.save')}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('campaigns.noticeSettingsHelp')}</Typography.Paragraph>
        {settings.data ? (
          <Form form={form} layout="vertical" onFinish={submit} initialValues={settings.data}>
            <Form.Item
              name="noticeDays"
              label={t('campaigns.workspaceNoticeDays')}
              rules={[{ required: true, message: t('campaigns.workspaceNoticeDays') }]}
            >
              <InputNumber min={0} max={365} precision={0} data-testid="workspace-notice-days" />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </>
  );
}
