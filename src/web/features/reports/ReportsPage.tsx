import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Modal, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  type Dimension,
  type DrillResultDto,
  REPORT_DIMENSIONS,
  REPORT_NAMES,
  type ReportName,
  type ReportTableDto,
} from '../../../contracts/reports.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';

const COLORS = ['#1677ff', '#52c41a', '#faad14', '#eb2f96', '#722ed1', '#13c2c2'];
type Cell = string | number | null;

function format(v: Cell | undefined, kind: string): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (kind === 'ratio') return `${(v * 100).toFixed(1)} %`;
  if (kind === 'money') return (v / 100).toLocaleString(undefined, { maximumFractionDigits: 2 });
  return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(2);
}

/** Analytics: every report as a chart and a table, each number opening the records behind it. */
export function ReportsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [name, setName] = useState<ReportName>('funnel');
  const [by, setBy] = useState<Dimension[]>(['source']);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [drill, setDrill] = useState<{ row: Record<string, Cell>; column: string } | null>(null);
  const query: Record<string, string | string[]> = {};
  if (by.length) query.by = by;
  if (range?.[0]) query.from = range[0].format('YYYY-MM-DD');
  if (range?.[1]) query.to = range[1].format('YYYY-MM-DD');
  // Repeated `by` keys: built here because the API client's query takes single values.
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) params.append(k, x);
  const table = useQuery({
    queryKey: ['reports', name, query],
    queryFn: () => api.get<ReportTableDto>(`/api/reports/${name}?${params}`),
  });
  const drillQuery = useQuery({
    enabled: drill !== null,
    queryKey: ['reports', name, query, 'records', drill],
    queryFn: () =>
      api.get<DrillResultDto>(
        `/api/reports/${name}/records?${params}&${new URLSearchParams({
          column: drill?.column ?? '',
          row: JSON.stringify(drill?.row ?? {}),
        })}`,
      ),
  });
  const data = table.data;
  const dims = data?.columns.filter((c) => c.kind === 'dim').map((c) => c.key) ?? [];
  const series = data?.columns.filter((c) => c.kind === 'count' || c.kind === 'money').slice(0, 6) ?? [];
  const chartRows =
    data?.rows.map((r) => ({
      ...r,
      label: dims.map((d) => r[d] ?? t('reports.blank')).join(' · ') || t('reports.all'),
    })) ?? [];

  return (
    <>
      <PageHeader
        title={t('nav.analytics')}
        subtitle={t('reports.subtitle')}
        extra={
          <Button href={`/api/reports/${name}/csv?${params}`} data-testid="report-csv">
            {t('reports.csv')}
          </Button>
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('reports.report')}
          data-testid="report-name"
          style={{ width: 220 }}
          value={name}
          onChange={(v) => {
            setName(v);
            setBy((old) => old.filter((d) => REPORT_DIMENSIONS[v].includes(d)));
          }}
          options={REPORT_NAMES.map((r) => ({ value: r, label: t(`reports.names.${r}`) }))}
        />
        <Select
          aria-label={t('reports.by')}
          data-testid="report-by"
          mode="multiple"
          maxCount={name === 'roi' || name === 'sla' ? 1 : 3}
          style={{ minWidth: 260 }}
          placeholder={t('reports.by')}
          value={by}
          onChange={setBy}
          options={REPORT_DIMENSIONS[name].map((d) => ({ value: d, label: t(`reports.dims.${d}`) }))}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
      </Flex>
      {table.error ? <Alert type="error" showIcon message={errorText(table.error)} /> : null}
      {data && series.length > 0 ? (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="report-chart">
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={chartRows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis />
              <Tooltip />
              <Legend />
              {series.map((s, i) => (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={s.key}
                  fill={COLORS[i % COLORS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </Card>
      ) : null}
      <Table
        data-testid="report-table"
        size="small"
        loading={table.isLoading}
        rowKey={(r) => JSON.stringify(dims.map((d) => r[d]))}
        dataSource={data?.rows ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={(data?.columns ?? []).map((c) => ({
          key: c.key,
          dataIndex: c.key,
          title: c.key,
          align: c.kind === 'dim' || c.kind === 'text' ? ('left' as const) : ('right' as const),
          render: (v: Cell, row: Record<string, Cell>) => {
            const text = c.kind === 'dim' && v === null ? t('reports.blank') : format(v, c.kind);
            if (!c.drill || !v) return text;
            const key = Object.fromEntries(dims.map((d) => [d, row[d] ?? null]));
            return (
              <Button type="link" size="small" onClick={() => setDrill({ row: key, column: c.key })}>
                {text}
              </Button>
            );
          },
        }))}
      />
      <Modal
        open={drill !== null}
        title={t('reports.records')}
        footer={null}
        width={720}
        onCancel={() => setDrill(null)}
      >
        <Table
          data-testid="report-records"
          size="small"
          rowKey="id"
          loading={drillQuery.isLoading}
          dataSource={drillQuery.data?.items ?? []}
          pagination={false}
          columns={[
            {
              key: 'name',
              title: t('reports.record'),
              render: (_: unknown, r: DrillResultDto['items'][number]) => (
                <a href={r.kind === 'contact' ? `/contacts/${r.id}` : `/pipeline/deals/${r.id}`}>
                  {r.name ?? r.id}
                </a>
              ),
            },
            {
              key: 'at',
              dataIndex: 'at',
              title: t('reports.at'),
              render: (v: string | null) => v?.slice(0, 10) ?? '–',
            },
            {
              key: 'value',
              dataIndex: 'value',
              title: t('reports.value'),
              render: (v: number | null) => format(v, 'money'),
            },
            // The forecast's records say which stage they were counted in and at what probability.
            ...(drillQuery.data?.items.some((r) => r.probability !== undefined)
              ? [
                  {
                    key: 'stage',
                    dataIndex: 'stage',
                    title: t('reports.stage'),
                    render: (v: string | null) => v ?? '–',
                  },
                  {
                    key: 'probability',
                    dataIndex: 'probability',
                    title: t('reports.probability'),
                    render: (v: number | null) => format(v ?? null, 'ratio'),
                  },
                ]
              : []),
          ]}
        />
        {drillQuery.data ? t('reports.total', { count: drillQuery.data.total }) : null}
      </Modal>
    </>
  );
}
