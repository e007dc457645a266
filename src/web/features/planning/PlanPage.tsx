import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useErrorText } from '../../app/errors.ts';
import { canEditPlan } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor, fromMinor, toMinor } from '../deals/api.ts';
import { PLANNING_KEY, savePlan, usePlan } from './api.ts';

interface TargetRow {
  year: number;
  market?: string;
  segment?: string;
  product?: string;
  revenue?: number | null;
  customers?: number | null;
  leads?: number | null;
}

/** The multi-year plan: 3–5 years of targets per market, segment and product, against actuals. */
export function PlanPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const thisYear = new Date().getFullYear();
  const [fromYear, setFromYear] = useState(thisYear);
  const [span, setSpan] = useState(5);
  const toYear = fromYear + span - 1;
  const plan = usePlan(fromYear, toYear);
  const [form] = Form.useForm<{ targets: TargetRow[] }>();
  const [busy, setBusy] = useState(false);
  const currency = plan.data?.currency ?? 'USD';
  const money = (m: number | null | undefined) => formatMinor(m ?? null, currency, i18n.language);
  const editable = canEditPlan(me.user.role);

  useEffect(() => {
    if (!plan.data) return;
    form.setFieldsValue({
      targets: plan.data.targets.map((x) => ({
        year: x.year,
        market: x.market,
        segment: x.segment,
        product: x.product,
        revenue: fromMinor(x.revenueMinor, plan.data.currency),
        customers: x.customers,
        leads: x.leads,
      })),
    });
  }, [plan.data, form]);

  const save = async ({ targets }: { targets?: TargetRow[] }) => {
    setBusy(true);
    try {
      await savePlan({
        fromYear,
        toYear,
        targets: (targets ?? []).map((x) => ({
          year: x.year,
          market: x.market ?? '',
          segment: x.segment ?? '',
          product: x.product ?? '',
          revenueMinor: toMinor(x.revenue, currency) ?? 0,
          customers: x.customers ?? 0,
          leads: x.leads ?? 0,
        })),
      });
      message.success(t('planning.planSaved'));
      await qc.invalidateQueries({ queryKey: PLANNING_KEY });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const yearOptions = Array.from({ length: toYear - fromYear + 1 }, (_, i) => ({
    value: fromYear + i,
    label: String(fromYear + i),
  }));
  const chart = (plan.data?.currentYear.months ?? []).map((m) => ({
    month: m.month,
    plan: fromMinor(m.planRevenueMinor, currency),
    actual: fromMinor(m.actualRevenueMinor, currency),
  }));
  return (
    <>
      <PageHeader
        title={t('nav.multiYearPlan')}
        subtitle={t('planning.planHint')}
        extra={
          <Space>
            <Select
              value={fromYear}
              onChange={setFromYear}
              aria-label={t('planning.fromYear')}
              options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: String(y) }))}
            />
            <Select
              value={span}
              onChange={setSpan}
              aria-label={t('planning.span')}
              options={[3, 4, 5].map((n) => ({ value: n, label: t('planning.years', { count: n }) }))}
            />
          </Space>
        }
      />
      {plan.isError ? <Alert type="error" showIcon message={errorText(plan.error)} /> : null}
      <Card title={t('planning.targets')}>
        <Form form={form} onFinish={save} disabled={!editable}>
          <Form.List name="targets">
            {(fields, { add, remove }) => (
              <>
                <Table
                  rowKey="key"
                  size="small"
                  pagination={false}
                  data-testid="plan-targets"
                  dataSource={fields}
                  columns={[
                    {
                      key: 'year',
                      title: t('planning.year'),
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'year']} noStyle>
                          <Select
                            options={yearOptions}
                            style={{ width: 90 }}
                            aria-label={t('planning.year')}
                          />
                        </Form.Item>
                      ),
                    },
                    ...(['market', 'segment', 'product'] as const).map((dim) => ({
                      key: dim,
                      title: t(`planning.${dim}`),
                      render: (_: unknown, f: { name: number }) => (
                        <Form.Item name={[f.name, dim]} noStyle>
                          <Input placeholder={t('planning.all')} aria-label={t(`planning.${dim}`)} />
                        </Form.Item>
                      ),
                    })),
                    ...(['revenue', 'customers', 'leads'] as const).map((fig) => ({
                      key: fig,
                      title: t(`planning.${fig}`),
                      render: (_: unknown, f: { name: number }) => (
                        <Form.Item name={[f.name, fig]} noStyle>
                          <InputNumber
                            min={0}
                            precision={fig === 'revenue' ? undefined : 0}
                            aria-label={t(`planning.${fig}`)}
                          />
                        </Form.Item>
                      ),
                    })),
                    {
                      key: 'remove',
                      render: (_, f) => (
                        <Button
                          icon={<DeleteOutlined />}
                          type="text"
                          aria-label={t('common.delete')}
                          onClick={() => remove(f.name)}
                        />
                      ),
                    },
                  ]}
                />
                {editable ? (
                  <Space className="stacked-card">
                    <Button icon={<PlusOutlined />} onClick={() => add({ year: fromYear })}>
                      {t('planning.addTarget')}
                    </Button>
                    <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-save">
                      {t('common.save')}
                    </Button>
                  </Space>
                ) : null}
              </>
            )}
          </Form.List>
        </Form>
      </Card>
      <Card title={t('planning.planVsActual')} className="stacked-card">
        <Table
          rowKey={(r) => `${r.year}`}
          size="small"
          pagination={false}
          data-testid="plan-years"
          dataSource={plan.data?.years ?? []}
          columns={[
            { key: 'year', title: t('planning.year'), dataIndex: 'year' },
            {
              key: 'tr',
              title: t('planning.targetRevenue'),
              render: (_, y) => money(y.target.revenueMinor),
              align: 'right',
            },
            {
              key: 'ar',
              title: t('planning.actualRevenue'),
              render: (_, y) => money(y.actual.revenueMinor),
              align: 'right',
            },
            {
              key: 'tc',
              title: t('planning.targetCustomers'),
              render: (_, y) => y.target.customers,
              align: 'right',
            },
            {
              key: 'ac',
              title: t('planning.actualCustomers'),
              render: (_, y) => y.actual.customers,
              align: 'right',
            },
            { key: 'tl', title: t('planning.targetLeads'), render: (_, y) => y.target.leads, align: 'right' },
            { key: 'al', title: t('planning.actualLeads'), render: (_, y) => y.actual.leads, align: 'right' },
          ]}
        />
      </Card>
      <Card
        title={t('planning.currentYear', { year: plan.data?.currentYear.year ?? thisYear })}
        className="stacked-card"
      >
        <div style={{ width: '100%', height: 280 }} data-testid="current-year-chart">
          <ResponsiveContainer>
            <BarChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" />
              <YAxis />
              <Tooltip />
              <Legend />
              <Bar dataKey="plan" name={t('planning.plan')} fill="#bfbfbf" />
              <Bar dataKey="actual" name={t('planning.actual')} fill="#1668dc" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
    </>
  );
}
