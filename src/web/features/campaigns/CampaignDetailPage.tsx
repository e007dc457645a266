import { DeleteOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Popconfirm,
  Space,
  Spin,
  Statistic,
  Tabs,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { MemberStatus } from '../../../contracts/campaigns.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageCampaigns } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { campaignPath, formatMoneyList, useCampaign, useCampaignWrites } from './api.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { STATUS_COLORS } from './CampaignsListPage.tsx';
import { CostLinesTab } from './CostLinesTab.tsx';
import { MarketsTab } from './MarketsTab.tsx';
import { MembersTab } from './MembersTab.tsx';
import { TouchesTab } from './TouchesTab.tsx';

/** The campaign page: results rolled up over nested campaigns, then members, touches, cost and markets. */
export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const errorText = useErrorText();
  const detail = useCampaign(id);
  const [editing, setEditing] = useState(false);
  const canEdit = canManageCampaigns(me.user.role);
  const writes = useCampaignWrites();
  const navigate = useNavigate();
  const { message } = App.useApp();

  if (detail.error) return <Alert type="error" message={errorText(detail.error)} />;
  if (!detail.data) return <Spin />;
  const { campaign: c, stats, parent, children, markets } = detail.data;

  const cancel = async () => {
    try {
      await writes.update.mutateAsync({ id: c.id, body: { status: 'cancelled' } });
      void message.success(t('campaigns.cancelled'));
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  const remove = async () => {
    try {
      await writes.remove.mutateAsync(c.id);
      void message.success(t('campaigns.deleted'));
      navigate('/campaigns');
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  return (
    <>
      <PageHeader
        title={c.name}
        tags={
          <>
            <Tag>{t(`campaigns.channels.${c.channel}`)}</Tag>
            <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.statuses.${c.status}`)}</Tag>
          </>
        }
        subtitle={
          parent ? (
            <>
              {t('campaigns.partOf')} <Link to={campaignPath(parent.id)}>{parent.name}</Link>
            </>
          ) : undefined
        }
        extra={
          canEdit ? (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
              {c.status === 'cancelled' || c.status === 'completed' ? null : (
                <Popconfirm
                  title={t('campaigns.cancelConfirm')}
                  okText={t('campaigns.cancelCampaign')}
                  cancelText={t('campaigns.keep')}
                  onConfirm={cancel}
                >
                  <Button icon={<StopOutlined />}>{t('campaigns.cancelCampaign')}</Button>
                </Popconfirm>
              )}
              <Popconfirm
                title={t('campaigns.deleteConfirm')}
                okText={t('campaigns.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('campaigns.keep')}
                onConfirm={remove}
              >
                <Button danger icon={<DeleteOutlined />}>
                  {t('campaigns.delete')}
                </Button>
              </Popconfirm>
            </Space>
          ) : null
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={32} wrap data-testid="campaign-stats">
          <Statistic title={t('campaigns.members')} value={stats.members} />
          <Statistic title={t('campaigns.touches')} value={stats.touches} />
          <Statistic title={t('campaigns.leads')} value={stats.leads} />
          <Statistic title={t('campaigns.cost')} value={formatMoneyList(stats.cost, i18n.language)} />
          <Statistic
            title={t('campaigns.costPerLead')}
            value={formatMoneyList(stats.costPerLead, i18n.language)}
          />
          <Statistic
            title={t('campaigns.sourcedDeals')}
            value={t('campaigns.dealsByOutcome', stats.deals)}
            valueRender={(node) => <span data-testid="campaign-deals">{node}</span>}
          />
          <Statistic
            title={t('campaigns.wonRevenue')}
            value={formatMoneyList([stats.deals.wonRevenue], i18n.language)}
            valueRender={(node) => <span data-testid="campaign-revenue">{node}</span>}
          />
        </Flex>
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'overview',
              label: t('campaigns.tabs.overview'),
              children: (
                <Descriptions column={{ xs: 1, md: 2 }} size="small">
                  <Descriptions.Item label={t('campaigns.dates')}>
                    {c.startsOn
                      ? `${fmt.plainDate(c.startsOn)} – ${fmt.plainDate(c.endsOn ?? c.startsOn)}`
                      : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.owner')}>{c.ownerName ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.markets')}>
                    {c.markets.join(', ') || '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.language')}>
                    {fmt.language(c.language)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.budget')}>
                    {c.budgetMinor == null
                      ? '—'
                      : formatMoneyList(
                          [{ currency: c.currency, amountMinor: c.budgetMinor }],
                          i18n.language,
                        )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.goals')}>
                    {t('campaigns.goalsText', { leads: c.goalLeads ?? '—', sqls: c.goalSqls ?? '—' })}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.salesNotified')}>
                    {c.salesNotifiedAt ? fmt.dateTime(c.salesNotifiedAt) : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.nested')}>
                    {children.length
                      ? children.map((ch) => (
                          <Link key={ch.id} to={campaignPath(ch.id)} style={{ marginInlineEnd: 8 }}>
                            {ch.name}
                          </Link>
                        ))
                      : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('campaigns.marketVariants')}>
                    {markets.length
                      ? markets.map((m) => `${m.market}${m.language ? ` (${m.language})` : ''}`).join(', ')
                      : '—'}
                  </Descriptions.Item>
                  {Object.entries(stats.membersByStatus).map(([s, n]) => (
                    <Descriptions.Item key={s} label={t(`campaigns.memberStatuses.${s as MemberStatus}`)}>
                      {n}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              ),
            },
            {
              key: 'members',
              label: t('campaigns.tabs.members'),
              children: <MembersTab campaignId={c.id} statuses={detail.data.statuses} canEdit={canEdit} />,
            },
            {
              key: 'touches',
              label: t('campaigns.tabs.touches'),
              children: <TouchesTab campaignId={c.id} />,
            },
            {
              key: 'markets',
              label: t('campaigns.tabs.markets'),
              children: <MarketsTab campaignId={c.id} markets={markets} canEdit={canEdit} />,
            },
            {
              key: 'costs',
              label: t('campaigns.tabs.costs'),
              children: (
                <CostLinesTab campaignId={c.id} currency={c.currency} markets={markets} canEdit={canEdit} />
              ),
            },
          ]}
        />
      </Card>
      <CampaignForm
        open={editing}
        campaign={c}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
    </>
  );
}
