import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Table,
  Tabs,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  BackwardsPlanDto,
  ForwardsPlanDto,
  PlannerRatesDto,
  RateOverrides,
} from '../../../contracts/planning.ts';
import { useErrorText } from '../../app/errors.ts';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor, fromMinor, toMinor } from '../deals/api.ts';
import { planBackwards, planForwards, round1, usePlannerRates } from './api.ts';
import { RatesCard, SourceTag } from './RatesCard.tsx';

/** One channel's cost per lead as typed (empty: the measured figure stands). */
interface ChannelField {
  channel?: string;
  cost?: number | null;
}

/** What a person may type over the measured rates (money as decimals, shares as percentages). */
interface OverrideFields {
  avgDeal?: number | null;
  quoteToWonPct?: number | null;
  channels?: ChannelField[];
}

function toOverrides(o: OverrideFields, currency: string): RateOverrides {
  const out: RateOverrides = {};
  const deal = toMinor(o.avgDeal, currency);
  if (deal) out.avgDealMinor = deal;
  if (o.quoteToWonPct) out.quoteToWon = o.quoteToWonPct / 100;
  const costs: Record<string, number> = {};
  for (const c of o.channels ?? []) {
    const name = c.channel?.trim();
    const cost = toMinor(c.cost, currency);
    if (name && cost) costs[name] = cost;
  }
  if (Object.keys(costs).length) out.costPerLeadMinor = costs;
  return out;
}

/**
 * The channel rows the override form starts with: every measured channel (its cost typed over only
 * when the person enters one), or one empty row to name a channel when nothing was measured.
 */
function channelRows(rates: PlannerRatesDto): ChannelField[] {
  return rates.channels.length ? rates.channels.map((c) => ({ channel: c.channel, cost: null })) : [{}];
}

/** The flywheel planner: backwards from a revenue target, forwards from a budget, on measured rates. */
export function PlannerPage() {
  const { t } = useTranslation();
  const rates = usePlannerRates();
  const errorText = useErrorText();
  if (rates.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (!rates.data) return <Alert type="error" showIcon message={errorText(rates.error)} />;
  return (
    <>
      <PageHeader title={t('nav.planner')} subtitle={t('planning.plannerHint')} />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Tabs
            items={[
              {
                key: 'backwards',
                label: t('planning.backwards'),
                children: <Backwards rates={rates.data} />,
              },
              { key: 'forwards', label: t('planning.forwards'), children: <Forwards rates={rates.data} /> },
            ]}
          />
        </Col>
        <Col xs={24} xl={8}>
          <RatesCard rates={rates.data} />
        </Col>
      </Row>
    </>
  );
}

function OverrideInputs({ rates }: { rates: PlannerRatesDto }) {
  const { t } = useTranslation();
  const currency = rates.currency;
  const measured = new Map(rates.channels.map((c) => [c.channel, c]));
  return (
    <>
      <Form.Item name="avgDeal" label={t('planning.rates.avgDeal')}>
        <InputNumber min={0} addonAfter={currency} />
      </Form.Item>
      <Form.Item name="quoteToWonPct" label={t('planning.quoteToWonPct')}>
        <InputNumber min={0.1} max={100} addonAfter="%" />
      </Form.Item>
      {/* Cost per lead is per channel: the plan buys each channel's share of leads at its own price. */}
      <Form.List name="channels">
        {(fields, { add, remove }) => (
          <div className="planner-channels">
            {fields.map((f) => (
              <ChannelInput
                key={f.key}
                index={f.name}
                currency={currency}
                measured={measured}
                onRemove={() => remove(f.name)}
              />
            ))}
            <Form.Item>
              <Button type="dashed" onClick={() => add({})}>
                {t('planning.addChannel')}
              </Button>
            </Form.Item>
          </div>
        )}
      </Form.List>
    </>
  );
}

/** One channel of the override form: a measured channel by name, or a new one the person names. */
function ChannelInput({
  index,
  currency,
  measured,
  onRemove,
}: {
  index: number;
  currency: string;
  measured: Map<string, PlannerRatesDto['channels'][number]>;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const form = Form.useFormInstance();
  const name = Form.useWatch(['channels', index, 'channel'], form) as string | undefined;
  const known = name ? measured.get(name) : undefined;
  return (
    <Space align="start">
      <Form.Item name={[index, 'channel']} label={t('planning.channel')}>
        <Input disabled={known !== undefined} style={{ width: 140 }} aria-label={t('planning.channel')} />
      </Form.Item>
      <Form.Item name={[index, 'cost']} label={t('planning.costPerLead')}>
        <InputNumber
          min={0}
          addonAfter={currency}
          placeholder={known ? formatMinor(known.costPerLeadMinor, currency, i18n.language) : undefined}
          aria-label={t('planning.costPerLeadOf', { channel: name ?? '' })}
        />
      </Form.Item>
      {known ? null : (
        <Button type="text" onClick={onRemove} aria-label={t('common.delete')}>
          ×
        </Button>
      )}
    </Space>
  );
}

function Backwards({ rates }: { rates: PlannerRatesDto }) {
  const { t, i18n } = useTranslation();
  const currency = rates.currency;
  const errorText = useErrorText();
  const [plan, setPlan] = useState<BackwardsPlanDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (m: number) => formatMinor(m, currency, i18n.language);
  const run = async (v: OverrideFields & { target: number; months: number }) => {
    setBusy(true);
    setError(null);
    try {
      setPlan(
        await planBackwards({
          targetMinor: toMinor(v.target, currency) ?? 0,
          months: v.months,
          overrides: toOverrides(v, currency),
        }),
      );
    } catch (err) {
      setPlan(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <Form
        name="backwards"
        layout="inline"
        initialValues={{ months: 12, channels: channelRows(rates) }}
        onFinish={run}
        className="planner-form"
      >
        <Form.Item
          name="target"
          label={t('planning.target')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <InputNumber min={1} addonAfter={currency} />
        </Form.Item>
        <Form.Item name="months" label={t('planning.months')}>
          <InputNumber min={1} max={60} />
        </Form.Item>
        <OverrideInputs rates={rates} />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="planner-run">
            {t('planning.calculate')}
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon message={error} className="stacked-card" /> : null}
      {plan ? (
        <div data-testid="backwards-result" className="stacked-card">
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('planning.wins')}>{round1(plan.wins)}</Descriptions.Item>
            <Descriptions.Item label={t('planning.quotes')}>{round1(plan.quotes)}</Descriptions.Item>
            <Descriptions.Item label={t('planning.qualifiedLeads')}>
              {round1(plan.qualifiedLeads)}
            </Descriptions.Item>
            <Descriptions.Item label={t('planning.leads')}>{round1(plan.leads)}</Descriptions.Item>
            <Descriptions.Item label={t('planning.touches')}>{round1(plan.touches)}</Descriptions.Item>
            <Descriptions.Item label={t('planning.budget')}>
              <span data-testid="backwards-budget">{money(plan.budgetMinor)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('planning.reps')}>
              <span data-testid="backwards-reps">{plan.reps}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('planning.leadMonthsAhead')}>
              {plan.leadMonthsAhead}
            </Descriptions.Item>
          </Descriptions>
          <Table
            className="stacked-card"
            rowKey="channel"
            size="small"
            pagination={false}
            dataSource={plan.channels}
            columns={[
              { key: 'channel', title: t('planning.channel'), dataIndex: 'channel' },
              { key: 'leads', title: t('planning.leads'), render: (_, c) => round1(c.leads), align: 'right' },
              {
                key: 'cpl',
                title: t('planning.costPerLead'),
                render: (_, c) => (
                  <Space>
                    {money(c.costPerLeadMinor)}
                    <SourceTag isDefault={c.isDefault} />
                  </Space>
                ),
                align: 'right',
              },
              {
                key: 'budget',
                title: t('planning.budget'),
                render: (_, c) => money(c.budgetMinor),
                align: 'right',
              },
            ]}
          />
        </div>
      ) : null}
    </Card>
  );
}

function Forwards({ rates }: { rates: PlannerRatesDto }) {
  const { t, i18n } = useTranslation();
  const currency = rates.currency;
  const errorText = useErrorText();
  const [plan, setPlan] = useState<ForwardsPlanDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const mode = Form.useWatch('mode', form) as 'budget' | 'reinvest' | undefined;
  const money = (m: number) => formatMinor(m, currency, i18n.language);
  const run = async (
    v: OverrideFields & {
      mode: 'budget' | 'reinvest';
      months: number;
      budget?: number;
      reinvestPercent?: number;
    },
  ) => {
    setBusy(true);
    setError(null);
    try {
      setPlan(
        await planForwards({
          mode: v.mode,
          months: v.months,
          ...(v.mode === 'budget'
            ? { monthlyBudgetMinor: toMinor(v.budget, currency) ?? 0 }
            : { reinvestPercent: v.reinvestPercent ?? 0 }),
          overrides: toOverrides(v, currency),
        }),
      );
    } catch (err) {
      setPlan(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const chart = (plan?.months ?? []).map((m) => ({
    month: m.month,
    budget: fromMinor(m.budgetMinor, currency),
    revenue: fromMinor(m.revenueMinor, currency),
    leads: round1(m.leads),
    orders: round1(m.orders),
  }));
  return (
    <Card>
      <Form
        form={form}
        name="forwards"
        layout="inline"
        initialValues={{ mode: 'reinvest', months: 12, reinvestPercent: 10, channels: channelRows(rates) }}
        onFinish={run}
        className="planner-form"
      >
        <Form.Item name="mode">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'budget', label: t('planning.modeBudget') },
              { value: 'reinvest', label: t('planning.modeReinvest') },
            ]}
          />
        </Form.Item>
        {mode === 'budget' ? (
          <Form.Item
            name="budget"
            label={t('planning.monthlyBudget')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={0} addonAfter={currency} />
          </Form.Item>
        ) : (
          <Form.Item name="reinvestPercent" label={t('planning.reinvestPercent')}>
            <InputNumber min={0} max={100} addonAfter="%" />
          </Form.Item>
        )}
        <Form.Item name="months" label={t('planning.months')}>
          <InputNumber min={12} max={24} />
        </Form.Item>
        <OverrideInputs rates={rates} />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="forwards-run">
            {t('planning.calculate')}
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon message={error} className="stacked-card" /> : null}
      {plan ? (
        <div data-testid="forwards-result" className="stacked-card">
          <Alert
            type="info"
            showIcon
            message={t('planning.forwardsNote', {
              lag: plan.lagMonths,
              revenue: money(plan.lastPeriodRevenueMinor),
            })}
          />
          <div style={{ width: '100%', height: 320 }} className="stacked-card" data-testid="loop-chart">
            <ResponsiveContainer>
              <ComposedChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" />
                <YAxis yAxisId="money" />
                <YAxis yAxisId="count" orientation="right" />
                <Tooltip />
                <Legend />
                <Bar yAxisId="money" dataKey="budget" name={t('planning.budget')} fill="#faad14" />
                <Bar yAxisId="money" dataKey="revenue" name={t('planning.revenue')} fill="#1668dc" />
                <Line yAxisId="count" dataKey="leads" name={t('planning.leads')} stroke="#52c41a" />
                <Line yAxisId="count" dataKey="orders" name={t('planning.orders')} stroke="#eb2f96" />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          <Table
            className="stacked-card"
            rowKey="month"
            size="small"
            pagination={false}
            dataSource={plan.months}
            columns={[
              { key: 'month', title: t('planning.month'), dataIndex: 'month' },
              {
                key: 'budget',
                title: t('planning.budget'),
                render: (_, m) => money(m.budgetMinor),
                align: 'right',
              },
              { key: 'leads', title: t('planning.leads'), render: (_, m) => round1(m.leads), align: 'right' },
              {
                key: 'quotes',
                title: t('planning.quotes'),
                render: (_, m) => round1(m.quotes),
                align: 'right',
              },
              {
                key: 'orders',
                title: t('planning.orders'),
                render: (_, m) => round1(m.orders),
                align: 'right',
              },
              {
                key: 'revenue',
                title: t('planning.revenue'),
                render: (_, m) => money(m.revenueMinor),
                align: 'right',
              },
            ]}
          />
        </div>
      ) : null}
    </Card>
  );
}
