import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RepQuotaDto } from '../../../contracts/planning.ts';
import { useErrorText } from '../../app/errors.ts';
import { canApproveQuotas } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor, fromMinor, toMinor } from '../deals/api.ts';
import { PLANNING_KEY, round1, saveQuota, useAttainment, useQuotaBoard } from './api.ts';
import { SourceTag } from './RatesCard.tsx';

/** Suggested quotas per rep and team; managers edit and approve; attainment per rep below. */
export function QuotasPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState<number | null>(null);
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const board = useQuotaBoard(year);
  const attainment = useAttainment(year, quarter);
  const currency = board.data?.currency ?? attainment.data?.currency ?? 'USD';
  const money = (m: number | null | undefined) => formatMinor(m ?? null, currency, i18n.language);
  const mayApprove = canApproveQuotas(me.user.role);

  const amountOf = (r: RepQuotaDto): number | null =>
    r.userId in edits
      ? (edits[r.userId] ?? null)
      : fromMinor(r.quota?.annualMinor ?? r.suggestedMinor, currency);

  const save = async (r: RepQuotaDto, approve: boolean) => {
    const annualMinor = toMinor(amountOf(r), currency);
    if (annualMinor === null) return;
    setBusy(`${r.userId}:${approve}`);
    try {
      await saveQuota(year, r.userId, { annualMinor, approve });
      message.success(approve ? t('planning.quotaApproved') : t('planning.quotaSaved'));
      setEdits(({ [r.userId]: _gone, ...rest }) => rest);
      await qc.invalidateQueries({ queryKey: PLANNING_KEY });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const years = [thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => ({
    value: y,
    label: String(y),
  }));
  return (
    <>
      <PageHeader
        title={t('nav.quotaBoard')}
        subtitle={t('planning.quotasHint')}
        extra={<Select value={year} onChange={setYear} options={years} aria-label={t('planning.year')} />}
      />
      {board.isError ? <Alert type="error" showIcon message={errorText(board.error)} /> : null}
      {board.data?.planRevenueMinor !== null && board.data?.planRevenueMinor !== undefined ? (
        <Alert
          type="info"
          showIcon
          message={t('planning.planForYear', { amount: money(board.data.planRevenueMinor) })}
        />
      ) : null}
      <Card title={t('planning.quotasPerRep')} className="stacked-card">
        <Table
          rowKey="userId"
          size="small"
          loading={board.isLoading}
          pagination={false}
          data-testid="quota-table"
          dataSource={board.data?.reps ?? []}
          columns={[
            { key: 'name', title: t('planning.rep'), dataIndex: 'name' },
            {
              key: 'territory',
              title: t('planning.territory'),
              render: (_, r) =>
                t('planning.territoryText', {
                  contacts: r.territory.contacts,
                  companies: r.territory.companies,
                  factor: round1(r.territory.factor),
                }),
            },
            {
              key: 'capacity',
              title: t('planning.rates.repCapacity'),
              render: (_, r) => (
                <Space>
                  {round1(r.capacity.value)}
                  <SourceTag isDefault={r.capacity.isDefault} />
                </Space>
              ),
            },
            {
              key: 'suggested',
              title: t('planning.suggested'),
              render: (_, r) => money(r.suggestedMinor),
              align: 'right',
            },
            {
              key: 'quota',
              title: t('planning.quota'),
              render: (_, r) =>
                mayApprove ? (
                  <InputNumber
                    min={0}
                    value={amountOf(r)}
                    onChange={(v) => setEdits((e) => ({ ...e, [r.userId]: v }))}
                    addonAfter={currency}
                    aria-label={t('planning.quotaFor', { name: r.name })}
                  />
                ) : (
                  money(r.quota?.annualMinor)
                ),
            },
            {
              key: 'status',
              title: t('planning.status'),
              render: (_, r) =>
                r.quota ? (
                  <Tag color={r.quota.status === 'approved' ? 'green' : 'default'} data-testid="quota-status">
                    {t(`planning.quotaStatus.${r.quota.status}`)}
                  </Tag>
                ) : (
                  <Tag>{t('planning.quotaStatus.none')}</Tag>
                ),
            },
            ...(mayApprove
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    render: (_: unknown, r: RepQuotaDto) => (
                      <Space>
                        <Button
                          size="small"
                          loading={busy === `${r.userId}:false`}
                          onClick={() => void save(r, false)}
                        >
                          {t('common.save')}
                        </Button>
                        <Button
                          size="small"
                          type="primary"
                          loading={busy === `${r.userId}:true`}
                          onClick={() => void save(r, true)}
                        >
                          {t('planning.approve')}
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {board.data?.teams.length ? (
        <Card title={t('planning.quotasPerTeam')} className="stacked-card">
          <Table
            rowKey="teamId"
            size="small"
            pagination={false}
            dataSource={board.data.teams}
            columns={[
              { key: 'name', title: t('planning.team'), dataIndex: 'name' },
              {
                key: 'suggested',
                title: t('planning.suggested'),
                render: (_, r) => money(r.suggestedMinor),
                align: 'right',
              },
              {
                key: 'quota',
                title: t('planning.quota'),
                render: (_, r) => money(r.quotaMinor),
                align: 'right',
              },
            ]}
          />
        </Card>
      ) : null}
      <Card
        title={t('planning.attainment')}
        className="stacked-card"
        extra={
          <Flex gap={8}>
            <Select
              value={quarter ?? 0}
              onChange={(v) => setQuarter(v === 0 ? null : v)}
              aria-label={t('planning.quarter')}
              options={[
                { value: 0, label: t('planning.wholeYear') },
                ...[1, 2, 3, 4].map((q) => ({ value: q, label: `Q${q}` })),
              ]}
            />
          </Flex>
        }
      >
        {attainment.isError ? <Alert type="error" showIcon message={errorText(attainment.error)} /> : null}
        <Table
          rowKey="userId"
          size="small"
          pagination={false}
          loading={attainment.isLoading}
          data-testid="attainment-table"
          dataSource={attainment.data?.rows ?? []}
          columns={[
            { key: 'name', title: t('planning.rep'), dataIndex: 'name' },
            {
              key: 'quota',
              title: t('planning.quota'),
              render: (_, r) => money(r.quotaMinor),
              align: 'right',
            },
            { key: 'won', title: t('planning.won'), render: (_, r) => money(r.wonMinor), align: 'right' },
            {
              key: 'pipeline',
              title: t('planning.pipeline'),
              render: (_, r) => money(r.pipelineMinor),
              align: 'right',
            },
            { key: 'gap', title: t('planning.gap'), render: (_, r) => money(r.gapMinor), align: 'right' },
          ]}
        />
      </Card>
    </>
  );
}
