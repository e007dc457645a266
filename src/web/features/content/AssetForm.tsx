import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTENT_KINDS, type ContentAssetDto, FUNNEL_STAGES } from '../../../contracts/content.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { useContentWrites } from './api.ts';

interface Values {
  source: 'file' | 'link';
  title: string;
  kind: (typeof CONTENT_KINDS)[number];
  url?: string;
  product?: string;
  language?: string;
  market?: string;
  funnelStage?: (typeof FUNNEL_STAGES)[number];
}

const blank = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/** "Add asset": upload a file or add a link, with kind, product, language, market and funnel stage. */
export function AssetForm({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (a: ContentAssetDto) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const writes = useContentWrites();
  const source = Form.useWatch('source', form) ?? 'file';

  const submit = async (v: Values) => {
    const meta = {
      title: v.title,
      kind: v.kind,
      product: blank(v.product),
      language: blank(v.language),
      market: blank(v.market),
      funnelStage: v.funnelStage ?? null,
    };
    if (v.source === 'file' && !file) {
      setFileError(t('content.fileRequired'));
      return;
    }
    try {
      const saved = await writes.create.mutateAsync(
        v.source === 'file' && file ? { ...meta, file } : { ...meta, url: v.url ?? '' },
      );
      form.resetFields();
      setFile(null);
      onSaved(saved);
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['title', 'kind', 'url', 'product', 'language', 'market']);
      if (rest.length || !Object.keys(form.getFieldsError()).length) message.error(errorText(err));
    }
  };

  return (
    <Modal
      open={open}
      title={t('content.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={writes.create.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ source: 'file', kind: 'brochure' }}
      >
        <Form.Item name="source" label={t('content.fields.source')}>
          <Radio.Group
            options={[
              { value: 'file', label: t('content.sources.file') },
              { value: 'link', label: t('content.sources.link') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('content.fields.title')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={t('content.fields.kind')} rules={[{ required: true }]}>
          <Select options={CONTENT_KINDS.map((k) => ({ value: k, label: t(`content.kinds.${k}`) }))} />
        </Form.Item>
        {source === 'file' ? (
          <Form.Item
            label={t('content.fields.file')}
            required
            validateStatus={fileError ? 'error' : undefined}
            help={fileError ?? t('content.fileHelp')}
          >
            <input
              type="file"
              aria-label={t('content.fields.file')}
              data-testid="content-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileError(null);
              }}
            />
          </Form.Item>
        ) : (
          <Form.Item name="url" label={t('content.fields.url')} rules={[{ required: true, type: 'url' }]}>
            <Input placeholder="https://" />
          </Form.Item>
        )}
        <Form.Item name="product" label={t('content.fields.product')}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="language" label={t('content.fields.language')} help={t('content.languageHelp')}>
          <Input maxLength={10} />
        </Form.Item>
        <Form.Item name="market" label={t('content.fields.market')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="funnelStage" label={t('content.fields.funnelStage')}>
          <Select
            allowClear
            options={FUNNEL_STAGES.map((s) => ({ value: s, label: t(`content.stages.${s}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
