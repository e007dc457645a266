import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Space, Table, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignMarketCreate, CampaignMarketDto } from '../../../contracts/campaigns.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { formatMoneyList, useCampaignWrites } from './api.ts';

interface Values {
  market: string;
  language?: string;
  name?: string;
  contentLinks?: { label: string; url: string }[];
  notes?: string;
}

/**
 * Per-market variants of one campaign ("make marketing globally, make sales locally"): each market
 * has its own language, name, content links and notes; its own cost lines are added on the cost tab.
 */
export function MarketsTab({
  campaignId,
  markets,
  canEdit,
}: {
  campaignId: string;
  markets: CampaignMarketDto[];
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const writes = useCampaignWrites();
  const [form] = Form.useForm<Values>();
  // undefined: closed; null: a new variant; a DTO: that variant being edited.
  const [editing, setEditing] = useState<CampaignMarketDto | null | undefined>();
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    const body: CampaignMarketCreate = {
      market: v.market.trim().toUpperCase(),
      language: v.language?.trim() || null,
      name: v.name?.trim() || null,
      contentLinks: (v.contentLinks ?? []).filter((l) => l?.label || l?.url),
      notes: v.notes?.trim() || null,
    };
    try {
      if (editing) {
        await writes.updateMarket.mutateAsync({ id: campaignId, marketId: editing.id, body });
      } else {
        await writes.addMarket.mutateAsync({ id: campaignId, body });
      }
      setEditing(undefined);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) {
        form.setFields(
          Object.entries(err.fields).map(([k, msg]) => {
            // "contentLinks.0.url" → ['contentLinks', 0, 'url'] so the message shows under that input.
            const name = k.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
            return { name: name as never, errors: [msg] };
          }),
        );
      } else {
        form.setFields([{ name: 'market', errors: [errorText(err)] }]);
      }
    }
  };

  const remove = async (m: CampaignMarketDto) => {
    setError(null);
    try {
      await writes.removeMarket.mutateAsync({ id: campaignId, marketId: m.id });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const columns: TableProps<CampaignMarketDto>['columns'] = [
    { key: 'market', title: t('campaigns.market'), dataIndex: 'market' },
    { key: 'language', title: t('campaigns.language'), render: (_, m) => fmt.language(m.language) || '—' },
    { key: 'name', title: t('campaigns.marketName'), render: (_, m) => m.name ?? '—' },
    {
      key: 'content',
      title: t('campaigns.contentLinks'),
      render: (_, m) =>
        m.contentLinks.length ? (
          <Space direction="vertical" size={0}>
            {m.contentLinks.map((l) => (
              <a key={`${l.label}-${l.url}`} href={l.url} target="_blank" rel="noreferrer">
                {l.label}
              </a>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    { key: 'cost', title: t('campaigns.cost'), render: (_, m) => formatMoneyList(m.cost, i18n.language) },
    { key: 'notes', title: t('campaigns.notes'), render: (_, m) => m.notes ?? '—', responsive: ['lg'] },
    ...(canEdit
      ? [
          {
            key: 'actions',
            title: '',
            width: 100,
            render: (_: unknown, m: CampaignMarketDto) => (
              <Space>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('campaigns.editMarketOf', { market: m.market })}
                  onClick={() => setEditing(m)}
                />
                <Popconfirm title={t('campaigns.removeMarket')} onConfirm={() => remove(m)}>
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('campaigns.removeMarketOf', { market: m.market })}
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {canEdit ? (
        <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} style={{ marginBottom: 12 }}>
          {t('campaigns.addMarket')}
        </Button>
      ) : null}
      {error ? <Alert type="error" message={error} style={{ marginBottom: 12 }} /> : null}
      <Table<CampaignMarketDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={markets}
        pagination={false}
        data-testid="markets-table"
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('campaigns.editMarket') : t('campaigns.addMarket')}
        okText={t('common.save')}
        onOk={() => form.submit()}
        confirmLoading={writes.addMarket.isPending || writes.updateMarket.isPending}
        onCancel={() => setEditing(undefined)}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={{
            market: editing?.market,
            language: editing?.language ?? undefined,
            name: editing?.name ?? undefined,
            contentLinks: editing?.contentLinks ?? [],
            notes: editing?.notes ?? undefined,
          }}
        >
          <Form.Item
            name="market"
            label={t('campaigns.market')}
            extra={t('campaigns.marketHelp')}
            rules={[{ required: true, message: t('campaigns.marketRequired') }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="language" label={t('campaigns.language')}>
            <Input placeholder="de" maxLength={20} />
          </Form.Item>
          <Form.Item name="name" label={t('campaigns.marketName')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('campaigns.contentLinks')}>
            <Form.List name="contentLinks">
              {(items, { add, remove: drop }) => (
                <>
                  {items.map((item) => (
                    <Space key={item.key} align="baseline">
                      <Form.Item name={[item.name, 'label']} rules={[{ required: true }]}>
                        <Input placeholder={t('campaigns.linkLabel')} aria-label={t('campaigns.linkLabel')} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'url']} rules={[{ required: true }]}>
                        <Input
                          placeholder="https://"
                          aria-label={t('campaigns.linkUrl')}
                          style={{ width: 240 }}
                        />
                      </Form.Item>
                      <MinusCircleOutlined
                        aria-label={t('campaigns.removeLink')}
                        onClick={() => drop(item.name)}
                      />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: '', url: '' })}>
                    {t('campaigns.addLink')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="notes" label={t('campaigns.notes')}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
