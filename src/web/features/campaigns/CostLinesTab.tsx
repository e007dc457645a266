import { DeleteOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Input, InputNumber, Popconfirm, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CampaignMarketDto, COST_CATEGORIES, type CostLineDto } from '../../../contracts/campaigns.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { formatMoney, useCampaignWrites, useCostLines } from './api.ts';

interface Values {
  incurredOn: Dayjs;
  amount: number;
  currency: string;
  category: CostLineDto['category'];
  description?: string;
  marketId?: string;
}

/** Dated cost lines (shared, or a market variant's own); marketing adds and removes them. */
export function CostLinesTab({
  campaignId,
  currency,
  markets,
  canEdit,
}: {
  campaignId: string;
  currency: string;
  markets: CampaignMarketDto[];
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const lines = useCostLines(campaignId);
  const writes = useCampaignWrites();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);

  const add = async (v: Values) => {
    setError(null);
    try {
      await writes.addCost.mutateAsync({
        id: campaignId,
        body: {
          incurredOn: v.incurredOn.format('YYYY-MM-DD'),
          amountMinor: Math.round(v.amount * 100),
          currency: v.currency.toUpperCase(),
          category: v.category as (typeof COST_CATEGORIES)[number],
          description: v.description || null,
          marketId: v.marketId ?? null,
        },
      });
      form.resetFields(['amount', 'description']);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length)
        setError(
          Object.entries(err.fields)
            .map(([k, m]) => `${k}: ${m}`)
            .join('; '),
        );
      else setError(errorText(err));
    }
  };

  return (
    <>
      {canEdit ? (
        <Form<Values>
          form={form}
          layout="inline"
          onFinish={add}
          initialValues={{ currency, category: 'booth' }}
          style={{ marginBottom: 12, rowGap: 8 }}
          data-testid="cost-line-form"
        >
          <Form.Item name="incurredOn" rules={[{ required: true }]}>
            <DatePicker placeholder={t('campaigns.incurredOn')} />
          </Form.Item>
          <Form.Item name="amount" rules={[{ required: true }]}>
            <InputNumber min={0} placeholder={t('campaigns.amount')} aria-label={t('campaigns.amount')} />
          </Form.Item>
          <Form.Item name="currency" rules={[{ required: true }]}>
            <Input style={{ width: 70 }} maxLength={3} aria-label={t('campaigns.currency')} />
          </Form.Item>
          <Form.Item name="category">
            <Select
              style={{ width: 140 }}
              aria-label={t('campaigns.category')}
              options={COST_CATEGORIES.map((c) => ({ value: c, label: t(`campaigns.categories.${c}`) }))}
            />
          </Form.Item>
          {markets.length ? (
            <Form.Item name="marketId">
              <Select
                allowClear
                placeholder={t('campaigns.market')}
                style={{ width: 120 }}
                options={markets.map((m) => ({ value: m.id, label: m.market }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item name="description">
            <Input placeholder={t('campaigns.description')} />
          </Form.Item>
          <Button htmlType="submit" loading={writes.addCost.isPending}>
            {t('campaigns.addCost')}
          </Button>
        </Form>
      ) : null}
      {error ? <div className="ant-form-item-explain-error">{error}</div> : null}
      <Table<CostLineDto>
        rowKey="id"
        size="small"
        pagination={false}
        loading={lines.isLoading}
        dataSource={lines.data ?? []}
        data-testid="cost-lines-table"
        columns={[
          { key: 'on', title: t('campaigns.incurredOn'), render: (_, l) => fmt.plainDate(l.incurredOn) },
          {
            key: 'category',
            title: t('campaigns.category'),
            render: (_, l) => t(`campaigns.categories.${l.category as (typeof COST_CATEGORIES)[number]}`),
          },
          {
            key: 'market',
            title: t('campaigns.market'),
            render: (_, l) => markets.find((m) => m.id === l.marketId)?.market ?? '—',
          },
          { key: 'description', title: t('campaigns.description'), dataIndex: 'description' },
          {
            key: 'amount',
            title: t('campaigns.amount'),
            align: 'right',
            render: (_, l) =>
              formatMoney({ currency: l.currency, amountMinor: l.amountMinor }, i18n.language),
          },
          ...(canEdit
            ? [
                {
                  key: 'remove',
                  title: '',
                  render: (_: unknown, l: CostLineDto) => (
                    <Popconfirm
                      title={t('campaigns.removeCost')}
                      onConfirm={() => writes.removeCost.mutate({ id: campaignId, lineId: l.id })}
                    >
                      <Button
                        type="text"
                        size="small"
                        icon={<DeleteOutlined />}
                        aria-label={t('campaigns.removeCost')}
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Flex />
    </>
  );
}
