import { Alert, Button, Card, Col, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardDto, LoopFiguresDto } from '../../../contracts/planning.ts';
import { useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor } from '../deals/api.ts';
import { useInboxColumns } from '../lifecycle/LeadsPage.tsx';
import { useDashboard } from './api.ts';

type Period = 'month' | 'quarter';

/** The home screen: what each role needs first (the loop, the channels, or my quota and pipeline). */
export function DashboardPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [period, setPeriod] = useState<Period>('quarter');
  const dash = useDashboard(period);
  const d = dash.data;
  return (
    <>
      <PageHeader
        title={t('nav.dashboard')}
        subtitle={d ? t(`dashboard.hint.${d.view}`) : undefined}
        extra={
          <Segmented<Period>
            value={period}
            onChange={setPeriod}
            options={[
              { value: 'month', label: t('dashboard.month') },
              { value: 'quarter', label: t('dashboard.quarter') },
            ]}
          />
        }
      />
      {dash.isError ? <Alert type="error" showIcon message={errorText(dash.error)} /> : null}
      {d?.loop ? <LoopCard d={d} current={d.loop.current} previous={d.loop.previous} /> : null}
      {d?.channels ? <ChannelsCard d={d} /> : null}
      {d?.mine ? <MineCard d={d} /> : null}
    </>
  );
}

function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? '0 %' : '—';
  const pct = Math.round(((now - before) / before) * 100);
  return `${pct > 0 ? '+' : ''}${pct} %`;
}

function LoopCard({
  d,
  current,
  previous,
}: {
  d: DashboardDto;
  current: LoopFiguresDto;
  previous: LoopFiguresDto;
}) {
  const { t, i18n } = useTranslation();
  const money = (m: number) => formatMinor(m, d.currency, i18n.language);
  const rows = [
    {
      key: 'spend',
      label: t('dashboard.spend'),
      now: current.spendMinor,
      before: previous.spendMinor,
      money: true,
    },
    { key: 'leads', label: t('planning.leads'), now: current.leads, before: previous.leads, money: false },
    {
      key: 'quotes',
      label: t('planning.quotes'),
      now: current.quotes,
      before: previous.quotes,
      money: false,
    },
    {
      key: 'orders',
      label: t('planning.orders'),
      now: current.orders,
      before: previous.orders,
      money: false,
    },
    {
      key: 'revenue',
      label: t('planning.revenue'),
      now: current.revenueMinor,
      before: previous.revenueMinor,
      money: true,
    },
  ];
  // The loop closes when revenue funds the next period's marketing: spend as a share of revenue.
  const share = (f: LoopFiguresDto) =>
    f.revenueMinor > 0 ? `${Math.round((f.spendMinor / f.revenueMinor) * 100)} %` : '—';
  const chart = rows
    .filter((r) => !r.money)
    .map((r) => ({ name: r.label, current: r.now, previous: r.before }));
  return (
    <Card title={t('dashboard.loop')} data-testid="dashboard-loop">
      {d.planRevenueMinor !== null ? (
        <Alert
          type="info"
          showIcon
          message={t('planning.planForYear', { amount: money(d.planRevenueMinor) })}
        />
      ) : null}
      <Row gutter={16} className="stacked-card">
        <Col xs={24} lg={12}>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              { key: 'label', title: t('dashboard.step'), dataIndex: 'label' },
              {
                key: 'now',
                title: t('dashboard.thisPeriod'),
                align: 'right',
                render: (_, r) => (r.money ? money(r.now) : r.now),
              },
              {
                key: 'before',
                title: t('dashboard.lastPeriod'),
                align: 'right',
                render: (_, r) => (r.money ? money(r.before) : r.before),
              },
              {
                key: 'change',
                title: t('dashboard.change'),
                align: 'right',
                render: (_, r) => change(r.now, r.before),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" className="stacked-card" data-testid="dashboard-reinvest">
            {t('dashboard.reinvest', { now: share(current), before: share(previous) })}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} lg={12}>
          <div style={{ width: '100%', height: 240 }}>
            <ResponsiveContainer>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="previous" name={t('dashboard.lastPeriod')} fill="#bfbfbf" />
                <Bar dataKey="current" name={t('dashboard.thisPeriod')} fill="#1668dc" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Col>
      </Row>
    </Card>
  );
}

function ChannelsCard({ d }: { d: DashboardDto }) {
  const { t, i18n } = useTranslation();
  const money = (m: number | null) => (m === null ? '—' : formatMinor(m, d.currency, i18n.language));
  return (
    <Card title={t('dashboard.channels')} className="stacked-card" data-testid="dashboard-channels">
      <Table
        rowKey="channel"
        size="small"
        pagination={false}
        dataSource={d.channels ?? []}
        columns={[
          { key: 'channel', title: t('planning.channel'), dataIndex: 'channel' },
          { key: 'leads', title: t('dashboard.leadsNow'), dataIndex: 'leads', align: 'right' },
          { key: 'prev', title: t('dashboard.leadsBefore'), dataIndex: 'previousLeads', align: 'right' },
          {
            key: 'cpl',
            title: t('dashboard.cplNow'),
            render: (_, c) => money(c.costPerLeadMinor),
            align: 'right',
          },
          {
            key: 'cplPrev',
            title: t('dashboard.cplBefore'),
            render: (_, c) => money(c.previousCostPerLeadMinor),
            align: 'right',
          },
        ]}
      />
    </Card>
  );
}

function MineCard({ d }: { d: DashboardDto }) {
  const { t, i18n } = useTranslation();
  const money = (m: number | null | undefined) => formatMinor(m ?? null, d.currency, i18n.language);
  const q = d.mine?.quota ?? null;
  const inbox = d.mine?.inbox ?? { total: 0, items: [] };
  const inboxColumns = useInboxColumns();
  return (
    <>
      <Card
        title={t('dashboard.myInbox', { count: inbox.total })}
        data-testid="dashboard-inbox"
        extra={
          <Space>
            <Link to="/qualification/leads">
              <Button>{t('nav.myLeads')}</Button>
            </Link>
            <Link to="/qualification/my-day">
              <Button>{t('nav.myDay')}</Button>
            </Link>
          </Space>
        }
      >
        <Table
          rowKey="contactId"
          size="small"
          pagination={false}
          columns={inboxColumns}
          dataSource={inbox.items}
          locale={{ emptyText: t('lifecycle.noLeads') }}
        />
        {inbox.total > inbox.items.length ? (
          <Link to="/qualification/leads">
            {t('dashboard.moreLeads', { count: inbox.total - inbox.items.length })}
          </Link>
        ) : null}
      </Card>
      <Card title={t('dashboard.myQuota')} className="stacked-card" data-testid="dashboard-quota">
        {q?.quotaMinor === null || !q ? (
          <Alert type="info" showIcon message={t('dashboard.noQuota')} />
        ) : null}
        <Row gutter={16} className="stacked-card">
          <Col span={6}>
            <Statistic title={t('planning.quota')} value={money(q?.quotaMinor)} />
          </Col>
          <Col span={6}>
            <Statistic title={t('planning.won')} value={money(q?.wonMinor ?? 0)} />
          </Col>
          <Col span={6}>
            <Statistic title={t('planning.pipeline')} value={money(q?.pipelineMinor ?? 0)} />
          </Col>
          <Col span={6}>
            <Statistic title={t('planning.gap')} value={money(q?.gapMinor)} />
          </Col>
        </Row>
      </Card>
      <Card title={t('dashboard.myPipeline')} className="stacked-card" data-testid="dashboard-pipeline">
        <Table
          rowKey="stage"
          size="small"
          pagination={false}
          dataSource={d.mine?.pipeline ?? []}
          columns={[
            { key: 'stage', title: t('dashboard.stage'), dataIndex: 'stage' },
            { key: 'deals', title: t('dashboard.deals'), dataIndex: 'deals', align: 'right' },
            {
              key: 'amount',
              title: t('dashboard.amount'),
              render: (_, s) => money(s.amountMinor),
              align: 'right',
            },
          ]}
        />
      </Card>
    </>
  );
}
