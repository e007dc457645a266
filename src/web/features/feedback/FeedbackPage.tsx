import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Flex, Form, Input, Select, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type CompetitorDto, FEEDBACK_TYPES, type FeedbackDto } from '../../../contracts/feedback.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { dealPath } from '../deals/api.ts';

/** Voice of the customer: feedback filterable by type, product, competitor and period; competitors. */
export function FeedbackPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [type, setType] = useState<string | undefined>();
  const [competitorId, setCompetitorId] = useState<string | undefined>();
  const [product, setProduct] = useState<string | undefined>();
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = period?.[0]?.format('YYYY-MM-DD');
  const to = period?.[1]?.format('YYYY-MM-DD');
  const competitors = useQuery({
    queryKey: ['competitors'],
    queryFn: () => api.get<CompetitorDto[]>('/api/competitors'),
  });
  const items = useQuery({
    queryKey: ['feedback', type, competitorId, product, from, to],
    queryFn: () =>
      api.get<Page<FeedbackDto>>('/api/feedback', { type, competitorId, product, from, to, limit: 200 }),
  });
  const competitorName = (id: string | null) => competitors.data?.find((c) => c.id === id)?.name ?? '';
  const canManage =
    me.user.role === 'admin' || me.user.role === 'marketing' || me.user.role === 'sales_manager';
  const addCompetitor = async (v: { name: string }) => {
    try {
      await api.post('/api/competitors', { name: v.name });
      await qc.invalidateQueries({ queryKey: ['competitors'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <>
      <PageHeader title={t('voice.title')} subtitle={t('voice.subtitle')} />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('voice.type')}
          style={{ width: 200 }}
          value={type}
          onChange={setType}
          data-testid="feedback-type-filter"
          options={FEEDBACK_TYPES.map((v) => ({ value: v, label: t(`voice.types.${v}`) }))}
        />
        <Select
          allowClear
          placeholder={t('voice.competitor')}
          style={{ width: 200 }}
          value={competitorId}
          onChange={setCompetitorId}
          options={(competitors.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Input.Search
          allowClear
          placeholder={t('voice.product')}
          style={{ width: 200 }}
          onSearch={(v) => setProduct(v || undefined)}
        />
        <DatePicker.RangePicker value={period} onChange={(v) => setPeriod(v)} />
      </Flex>
      <Table<FeedbackDto>
        rowKey="id"
        size="small"
        loading={items.isLoading}
        dataSource={items.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { key: 'at', title: t('voice.when'), render: (_, f) => fmt.date(f.occurredAt), width: 130 },
          { key: 'type', title: t('voice.type'), render: (_, f) => <Tag>{t(`voice.types.${f.type}`)}</Tag> },
          { key: 'body', title: t('voice.body'), dataIndex: 'body' },
          {
            key: 'lost',
            title: t('deals.fields.lostReason'),
            render: (_, f) =>
              f.lostReason ? t(`deals.lostReasons.${f.lostReason}`, { defaultValue: f.lostReason }) : '',
          },
          { key: 'product', title: t('voice.product'), render: (_, f) => f.productName ?? '' },
          {
            key: 'competitor',
            title: t('voice.competitor'),
            render: (_, f) => competitorName(f.competitorId),
          },
          {
            key: 'on',
            title: t('voice.on'),
            render: (_, f) =>
              f.dealId ? (
                <Link to={dealPath(f.dealId)}>{t('voice.deal')}</Link>
              ) : f.contactId ? (
                <Link to={`/contacts/${f.contactId}`}>{t('voice.contact')}</Link>
              ) : null,
          },
        ]}
      />
      <PageHeader title={t('voice.competitors')} />
      {canManage ? (
        <Form layout="inline" onFinish={addCompetitor} style={{ marginBottom: 12 }}>
          <Form.Item name="name" rules={[{ required: true, whitespace: true }]}>
            <Input placeholder={t('voice.competitorName')} maxLength={120} />
          </Form.Item>
          <Button htmlType="submit">{t('voice.addCompetitor')}</Button>
        </Form>
      ) : null}
      <Table<CompetitorDto>
        rowKey="id"
        size="small"
        dataSource={competitors.data ?? []}
        pagination={false}
        columns={[{ key: 'name', title: t('voice.competitorName'), dataIndex: 'name' }]}
      />
    </>
  );
}
