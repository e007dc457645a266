import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  Select,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { DealDto, DealTimelineItem } from '../../../contracts/deals.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canWriteRecords } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { DealQuotes } from '../quotes/DealQuotes.tsx';
import { useNames } from '../records/directory.ts';
import { ACTIVITY_TYPES, DEALS, formatMinor, usePipelines } from './api.ts';
import { MoveReasonModal, useMoveDeal } from './DealBoard.tsx';

function ActivityForm({ deal }: { deal: DealDto }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ type: string; outcome?: string; notes?: string }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ type: 'call' }}
      onFinish={async (v) => {
        try {
          await api.post(`${DEALS}/${deal.id}/activities`, {
            type: v.type,
            ...(v.outcome ? { outcome: v.outcome } : {}),
            ...(v.notes ? { notes: v.notes } : {}),
          });
          form.resetFields();
          await qc.invalidateQueries({ queryKey: [DEALS, deal.id, 'timeline'] });
        } catch (err) {
          message.error(errorText(err));
        }
      }}
    >
      <Flex gap={8} wrap>
        <Form.Item name="type" label={t('deals.activity.type')}>
          <Select
            style={{ width: 140 }}
            data-testid="activity-type"
            options={ACTIVITY_TYPES.map((a) => ({ value: a, label: t(`deals.activity.types.${a}`) }))}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('deals.activity.outcome')}>
          <Input style={{ width: 220 }} maxLength={80} data-testid="activity-outcome" />
        </Form.Item>
      </Flex>
      <Form.Item name="notes" label={t('deals.activity.notes')}>
        <Input.TextArea rows={2} maxLength={5000} data-testid="activity-notes" />
      </Form.Item>
      <Button htmlType="submit" disabled={!deal.contactId} data-testid="activity-log">
        {t('deals.activity.log')}
      </Button>
    </Form>
  );
}

function DealTimeline({ deal }: { deal: DealDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const pipelines = usePipelines();
  const stageName = (id: string | null) =>
    pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === id)?.name ?? id ?? '';
  const tl = useQuery({
    queryKey: [DEALS, deal.id, 'timeline'],
    queryFn: () => api.get<{ items: DealTimelineItem[] }>(`${DEALS}/${deal.id}/timeline`, { limit: 100 }),
  });
  if (tl.isLoading) return <Spin />;
  return (
    <Timeline
      data-testid="deal-timeline"
      items={(tl.data?.items ?? []).map((i) => ({
        key: i.id,
        color: i.kind === 'stage' ? 'blue' : 'gray',
        children:
          i.kind === 'stage' ? (
            <>
              <Typography.Text strong>
                {i.stage.fromStageId
                  ? t('deals.timeline.moved', {
                      from: stageName(i.stage.fromStageId),
                      to: stageName(i.stage.toStageId),
                    })
                  : t('deals.timeline.created', { stage: stageName(i.stage.toStageId) })}
              </Typography.Text>
              {i.stage.reason ? <div>{i.stage.reason}</div> : null}
              <Typography.Text type="secondary">
                {fmt.dateTime(i.at)} · {names.user(i.stage.actorId)}
              </Typography.Text>
            </>
          ) : (
            <>
              <Typography.Text strong>{t(`deals.timeline.touch`, { type: i.touch.type })}</Typography.Text>
              {typeof i.touch.metadata.outcome === 'string' ? (
                <Tag style={{ marginLeft: 8 }}>{i.touch.metadata.outcome}</Tag>
              ) : null}
              {typeof i.touch.metadata.notes === 'string' ? <div>{i.touch.metadata.notes}</div> : null}
              <div>
                <Typography.Text type="secondary">{fmt.dateTime(i.at)}</Typography.Text>
              </div>
            </>
          ),
      }))}
    />
  );
}

/** One deal: its fields, its stage (change it here too), its timeline and activity logging. */
export function DealDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const pipelines = usePipelines();
  const move = useMoveDeal();
  const deal = useQuery({ queryKey: [DEALS, id], queryFn: () => api.get<DealDto>(`${DEALS}/${id}`) });
  if (deal.isLoading) return <Spin />;
  if (deal.error || !deal.data) return <Alert type="error" message={errorText(deal.error)} />;
  const d = deal.data;
  const stages = pipelines.data?.find((p) => p.id === d.pipelineId)?.stages ?? [];
  const color = d.stageKind === 'won' ? 'green' : d.stageKind === 'lost' ? 'red' : 'blue';
  return (
    <>
      <PageHeader
        title={d.name}
        breadcrumb={<Link to="/pipeline">{t('deals.title')}</Link>}
        tags={
          <Tag color={color} data-testid="deal-stage">
            {stages.find((s) => s.id === d.stageId)?.name ?? d.stageKey}
          </Tag>
        }
        extra={
          canWriteRecords(me.user.role) ? (
            <Select
              value={d.stageId}
              style={{ width: 200 }}
              data-testid="deal-stage-select"
              options={stages.map((s) => ({ value: s.id, label: s.name }))}
              onChange={(stageId: string) => {
                const stage = stages.find((s) => s.id === stageId);
                if (stage) move.move(d, stage);
              }}
            />
          ) : null
        }
      />
      <Flex gap={16} wrap align="flex-start">
        <Card style={{ flex: '1 1 360px' }}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('deals.fields.amount')}>
              <span data-testid="deal-amount-text">
                {formatMinor(d.amountMinor, d.currency, i18n.language)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('deals.fields.contact')}>
              {d.contactIds.map((c) => (
                <Link key={c} to={`/contacts/${c}`} style={{ marginRight: 8 }}>
                  {c === d.contactId ? `${t('deals.primary')}: ` : ''}
                  {c}
                </Link>
              ))}
            </Descriptions.Item>
            {d.companyId ? (
              <Descriptions.Item label={t('deals.fields.company')}>
                <Link to={`/companies/${d.companyId}`}>{d.companyId}</Link>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('records.fields.owner')}>{names.user(d.ownerId)}</Descriptions.Item>
            <Descriptions.Item label={t('deals.fields.expectedClose')}>
              {fmt.plainDate(d.expectedCloseOn)}
            </Descriptions.Item>
            <Descriptions.Item label={t('deals.fields.sourceCampaign')}>
              {d.sourceCampaignId ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('deals.fields.products')}>
              {d.products.map((p) => p.name).join(', ')}
            </Descriptions.Item>
            {d.lostReason ? (
              <Descriptions.Item label={t('deals.fields.lostReason')}>
                {t(`deals.lostReasons.${d.lostReason}`, { defaultValue: d.lostReason })}
                {d.lostNote ? ` — ${d.lostNote}` : ''}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        <Card title={t('deals.activity.title')} style={{ flex: '1 1 360px' }}>
          {canWriteRecords(me.user.role) ? <ActivityForm deal={d} /> : null}
        </Card>
        <div style={{ flex: '1 1 360px' }}>
          <DealQuotes dealId={d.id} currency={d.currency} />
        </div>
      </Flex>
      <Card title={t('deals.timeline.title')} style={{ marginTop: 16 }}>
        <DealTimeline deal={d} />
      </Card>
      <MoveReasonModal move={move} />
    </>
  );
}
