import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AttainmentRowDto,
  QuotaBoardDto,
  QuotaDto,
  QuotaInput,
  RepQuotaDto,
} from '../../../contracts/planning.ts';
import { useErrorText } from '../../app/errors.ts';
import { canApproveQuotas } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor } from '../deals/api.ts';
import { PLANNING_KEY, round1, saveQuota, saveTeamQuota, useAttainment, useQuotaBoard } from './api.ts';
import { QuotaModal } from './QuotaModal.tsx';
import { SourceTag } from './RatesCard.tsx';

/** A quota being edited or approved: a rep's or a team's, with the figures to start from. */
interface Editing {
  kind: 'rep' | 'team';
  id: string;
  name: string;
  annualMinor: number;
  quartersMinor: number[];
}
type TeamRow = QuotaBoardDto['teams'][number];

/**
 * Suggested quotas per rep and team; managers edit the year and its quarters and approve; attainment
 * per rep and team below.
 */
/** What a rep's and a team's attainment rows share. */
type AttainmentFigures = Pick<
  AttainmentRowDto,
  'name' | 'quotaMinor' | 'wonMinor' | 'pipelineMinor' | 'gapMinor'
>;

export function QuotasPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState<number | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const board = useQuotaBoard(year);
  const attainment = useAttainment(year, quarter);
  const currency = board.data?.currency ?? attainment.data?.currency ?? 'USD';
  const money = (m: number | null | undefined) => formatMinor(m ?? null, currency, i18n.language);
  // The same four figures for a rep's row and a team's row: quota, won, pipeline, gap.
  const attainmentColumns = (who: string): TableColumnsType<AttainmentFigures> => [
    { key: 'name', title: who, dataIndex: 'name' },
    ...(['quota', 'won', 'pipeline', 'gap'] as const).map((k) => ({
      key: k,
      title: t(`planning.${k}`),
      render: (_: unknown, r: AttainmentFigures) => money(r[`${k}Minor`]),
      align: 'right' as const,
    })),
  ];
  const mayApprove = canApproveQuotas(me.user.role);

  const save = async (target: Editing, input: QuotaInput) => {
    try {
      await (target.kind === 'rep'
        ? saveQuota(year, target.id, input)
        : saveTeamQuota(year, target.id, input));
      message.success(input.approve ? t('planning.quotaApproved') : t('planning.quotaSaved'));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: PLANNING_KEY });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  /** Approves the quota as it stands (the suggestion when none is set yet). */
  const approve = async (target: Editing) => {
    setBusy(`${target.kind}:${target.id}`);
    try {
      await save(target, {
        annualMinor: target.annualMinor,
        quartersMinor: target.quartersMinor,
        approve: true,
      });
    } finally {
      setBusy(null);
    }
  };

  const quarterCols = <R,>(quartersOf: (r: R) => number[] | null) =>
    [0, 1, 2, 3].map((i) => ({
      key: `q${i + 1}`,
      title: `Q${i + 1}`,
      align: 'right' as const,
      render: (_: unknown, r: R) => money(quartersOf(r)?.[i]),
    }));

  const actionsCol = <R,>(target: (r: R) => Editing) =>
    mayApprove
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, r: R) => {
              const e = target(r);
              return (
                <Space>
                  <Button
                    size="small"
                    onClick={() => setEditing(e)}
                    aria-label={t('planning.editQuota', { name: e.name })}
                  >
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    type="primary"
                    loading={busy === `${e.kind}:${e.id}`}
                    onClick={() => void approve(e)}
                  >
                    {t('planning.approve')}
                  </Button>
                </Space>
              );
            },
          },
        ]
      : [];

  const statusTag = (q: QuotaDto | null) =>
    q ? (
      <Tag color={q.status === 'approved' ? 'green' : 'default'} data-testid="quota-status">
        {t(`planning.quotaStatus.${q.status}`)}
      </Tag>
    ) : (
      <Tag>{t('planning.quotaStatus.none')}</Tag>
    );

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
                  contacts: t('planning.territoryContacts', { count: r.territory.contacts }),
                  companies: t('planning.territoryCompanies', { count: r.territory.companies }),
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
              render: (_, r) => money(r.quota?.annualMinor),
              align: 'right',
            },
            ...quarterCols<RepQuotaDto>((r) => r.quota?.quartersMinor ?? null),
            { key: 'status', title: t('planning.status'), render: (_, r) => statusTag(r.quota) },
            ...actionsCol<RepQuotaDto>((r) => ({
              kind: 'rep',
              id: r.userId,
              name: r.name,
              annualMinor: r.quota?.annualMinor ?? r.suggestedMinor,
              quartersMinor: r.quota?.quartersMinor ?? r.suggestedQuartersMinor,
            })),
          ]}
        />
      </Card>
      {board.data?.teams.length ? (
        <Card title={t('planning.quotasPerTeam')} className="stacked-card">
          <Table
            rowKey="teamId"
            size="small"
            pagination={false}
            data-testid="team-quota-table"
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
                key: 'members',
                title: t('planning.membersQuota'),
                render: (_, r) => money(r.quotaMinor),
                align: 'right',
              },
              {
                key: 'quota',
                title: t('planning.quota'),
                render: (_, r) => money(r.quota?.annualMinor),
                align: 'right',
              },
              ...quarterCols<TeamRow>((r) => r.quota?.quartersMinor ?? null),
              { key: 'status', title: t('planning.status'), render: (_, r) => statusTag(r.quota) },
              ...actionsCol<TeamRow>((r) => ({
                kind: 'team',
                id: r.teamId,
                name: r.name,
                annualMinor: r.quota?.annualMinor ?? r.suggestedMinor,
                quartersMinor: r.quota?.quartersMinor ?? r.suggestedQuartersMinor,
              })),
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
          columns={attainmentColumns(t('planning.rep'))}
        />
        {attainment.data?.teams.length ? (
          <Table
            className="stacked-card"
            rowKey="teamId"
            size="small"
            pagination={false}
            data-testid="team-attainment-table"
            dataSource={attainment.data.teams}
            columns={attainmentColumns(t('planning.team'))}
          />
        ) : null}
      </Card>
      <QuotaModal
        name={editing?.name ?? null}
        currency={currency}
        initial={editing ?? { annualMinor: 0, quartersMinor: [0, 0, 0, 0] }}
        onClose={() => setEditing(null)}
        onSave={(input) => (editing ? save(editing, input) : Promise.resolve())}
      />
    </>
  );
}
