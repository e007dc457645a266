import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Segmented, Select, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { DealDto, ExchangeRateDto } from '../../../contracts/deals.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canWriteRecords } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ExportButton, ImportButton } from '../capture/ExportButton.tsx';
import { useNames } from '../records/directory.ts';
import { DEALS, dealPath, formatMinor, usePipelines } from './api.ts';
import { DealBoard } from './DealBoard.tsx';
import { DealForm } from './DealForm.tsx';

function DealsList({ pipelineId, ownerId }: { pipelineId: string | undefined; ownerId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const [status, setStatus] = useState<string>('');
  const [q, setQ] = useState('');
  const list = useInfiniteQuery({
    queryKey: [DEALS, 'list', pipelineId, ownerId, status, q],
    queryFn: ({ pageParam }) =>
      api.get<Page<DealDto>>(DEALS, { pipelineId, ownerId, status, q, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Flex gap={8} style={{ marginBottom: 12 }} wrap>
        <Input.Search allowClear placeholder={t('deals.search')} onSearch={setQ} style={{ width: 240 }} />
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          data-testid="deal-status-filter"
          options={[
            { value: '', label: t('deals.status.all') },
            { value: 'open', label: t('deals.status.open') },
            { value: 'won', label: t('deals.status.won') },
            { value: 'lost', label: t('deals.status.lost') },
          ]}
        />
      </Flex>
      <Table<DealDto>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          {
            key: 'name',
            title: t('deals.fields.name'),
            render: (_, d) => <Link to={dealPath(d.id)}>{d.name}</Link>,
          },
          { key: 'stage', title: t('deals.fields.stage'), render: (_, d) => <Tag>{d.stageKey}</Tag> },
          {
            key: 'amount',
            title: t('deals.fields.amount'),
            align: 'right',
            render: (_, d) => formatMinor(d.amountMinor, d.currency, i18n.language),
          },
          { key: 'owner', title: t('records.fields.owner'), render: (_, d) => names.user(d.ownerId) },
          {
            key: 'close',
            title: t('deals.fields.expectedClose'),
            render: (_, d) => fmt.plainDate(d.expectedCloseOn),
          },
          { key: 'created', title: t('records.fields.createdAt'), render: (_, d) => fmt.date(d.createdAt) },
        ]}
      />
      {list.hasNextPage ? (
        <Button
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          style={{ marginTop: 8 }}
        >
          {t('deals.loadMore')}
        </Button>
      ) : null}
    </>
  );
}

function ExchangeRates() {
  const { t } = useTranslation();
  const me = useSession();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const rates = useQuery({
    queryKey: ['exchange-rates'],
    queryFn: () => api.get<ExchangeRateDto[]>('/api/exchange-rates', { limit: 200 }),
  });
  const canManage = me.user.role === 'admin' || me.user.role === 'sales_manager';
  const [csv, setCsv] = useState('');
  const save = async (v: { base: string; quote: string; onDate: string; rate: string }) => {
    try {
      await api.put('/api/exchange-rates', v);
      await qc.invalidateQueries({ queryKey: ['exchange-rates'] });
      await qc.invalidateQueries({ queryKey: ['deals'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const importCsv = async () => {
    try {
      const res = await api.post<{ imported: number }>('/api/exchange-rates/import', { csv });
      message.success(t('deals.rates.imported', { count: res.imported }));
      setCsv('');
      await qc.invalidateQueries({ queryKey: ['exchange-rates'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Flex vertical gap={12}>
      {canManage ? (
        <>
          <Form layout="inline" onFinish={save}>
            <Form.Item name="base" rules={[{ required: true, pattern: /^[A-Z]{3}$/ }]}>
              <Input placeholder={t('deals.rates.base')} maxLength={3} style={{ width: 90 }} />
            </Form.Item>
            <Form.Item name="quote" rules={[{ required: true, pattern: /^[A-Z]{3}$/ }]}>
              <Input placeholder={t('deals.rates.quote')} maxLength={3} style={{ width: 90 }} />
            </Form.Item>
            <Form.Item name="onDate" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
              <Input placeholder="YYYY-MM-DD" style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="rate" rules={[{ required: true }]}>
              <Input placeholder={t('deals.rates.rate')} style={{ width: 120 }} />
            </Form.Item>
            <Button htmlType="submit" type="primary">
              {t('common.save')}
            </Button>
          </Form>
          <Input.TextArea
            rows={3}
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
            placeholder="base,quote,date,rate"
          />
          <Button onClick={importCsv} disabled={!csv.trim()} style={{ alignSelf: 'flex-start' }}>
            {t('deals.rates.import')}
          </Button>
        </>
      ) : null}
      <Table<ExchangeRateDto>
        rowKey={(r) => `${r.base}${r.quote}${r.onDate}`}
        size="small"
        loading={rates.isLoading}
        dataSource={rates.data ?? []}
        pagination={false}
        columns={[
          { key: 'pair', title: t('deals.rates.pair'), render: (_, r) => `${r.base} → ${r.quote}` },
          { key: 'date', title: t('deals.rates.date'), dataIndex: 'onDate' },
          { key: 'rate', title: t('deals.rates.rate'), dataIndex: 'rate', align: 'right' },
          {
            key: 'source',
            title: t('deals.rates.source'),
            render: (_, r) => t(`deals.rates.sources.${r.source}`),
          },
        ]}
      />
    </Flex>
  );
}

/** Pipeline: the board, the list with filters, and the exchange rates the board sums use. */
export function PipelinePage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const pipelines = usePipelines();
  const [search, setSearch] = useSearchParams();
  const view = search.get('view') ?? 'board';
  const pipelineId = search.get('pipeline') ?? pipelines.data?.find((p) => p.isDefault)?.id;
  const [mine, setMine] = useState(false);
  const ownerId = mine ? 'me' : undefined;
  const [creating, setCreating] = useState(false);
  const setParam = (k: string, v: string) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      next.set(k, v);
      return next;
    });
  return (
    <>
      <PageHeader
        title={t('deals.title')}
        subtitle={t('deals.subtitle')}
        extra={
          <>
            <Select
              value={pipelineId}
              style={{ width: 180 }}
              onChange={(v: string) => setParam('pipeline', v)}
              options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              data-testid="pipeline-select"
            />
            <Segmented
              value={mine ? 'mine' : 'all'}
              onChange={(v) => setMine(v === 'mine')}
              options={[
                { value: 'all', label: t('deals.allDeals') },
                { value: 'mine', label: t('deals.myDeals') },
              ]}
            />
            <ExportButton entity="deals" />
            <ImportButton entity="deals" />
            {canWriteRecords(me.user.role) ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-deal"
              >
                {t('deals.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Tabs
        activeKey={view}
        onChange={(k) => setParam('view', k)}
        items={[
          {
            key: 'board',
            label: t('deals.board'),
            children: <DealBoard pipelineId={pipelineId} ownerId={ownerId} />,
          },
          {
            key: 'list',
            label: t('deals.list'),
            children: <DealsList pipelineId={pipelineId} ownerId={ownerId} />,
          },
          { key: 'rates', label: t('deals.rates.title'), children: <ExchangeRates /> },
        ]}
      />
      <DealForm
        open={creating}
        pipelineId={pipelineId}
        onClose={() => setCreating(false)}
        onCreated={(d) => {
          setCreating(false);
          void qc.invalidateQueries({ queryKey: ['deals'] });
          navigate(dealPath(d.id));
        }}
      />
    </>
  );
}
