import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Select, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, type CampaignDto } from '../../../contracts/campaigns.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageCampaigns } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { campaignPath, formatMoneyList, useCampaigns } from './api.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { NoticeSettingsButton } from './NoticeSettings.tsx';

export const STATUS_COLORS: Record<string, string> = {
  planned: 'blue',
  active: 'green',
  completed: 'default',
  cancelled: 'red',
};

/** Every campaign, newest first, filterable by name, status and channel. */
export function CampaignsListPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [channel, setChannel] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const list = useCampaigns({
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(channel ? { channel } : {}),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableProps<CampaignDto>['columns'] = [
    {
      key: 'name',
      title: t('campaigns.name'),
      render: (_, c) => (
        <Link to={campaignPath(c.id)} className="record-name">
          {c.name}
        </Link>
      ),
    },
    { key: 'channel', title: t('campaigns.channel'), render: (_, c) => t(`campaigns.channels.${c.channel}`) },
    {
      key: 'status',
      title: t('campaigns.status'),
      render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.statuses.${c.status}`)}</Tag>,
    },
    {
      key: 'dates',
      title: t('campaigns.dates'),
      render: (_, c) =>
        c.startsOn ? `${fmt.plainDate(c.startsOn)} – ${fmt.plainDate(c.endsOn ?? c.startsOn)}` : '—',
    },
    {
      key: 'markets',
      title: t('campaigns.markets'),
      render: (_, c) => c.markets.join(', ') || '—',
      responsive: ['md'],
    },
    {
      key: 'members',
      title: t('campaigns.members'),
      align: 'right',
      render: (_, c) => fmt.number(c.memberCount),
    },
    {
      key: 'cost',
      title: t('campaigns.cost'),
      align: 'right',
      render: (_, c) => formatMoneyList(c.cost, i18n.language),
      responsive: ['lg'],
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.campaigns')}
        subtitle={t('campaigns.subtitle')}
        extra={
          <>
            <Link to="/campaign-calendar">
              <Button icon={<CalendarOutlined />}>{t('nav.campaignCalendar')}</Button>
            </Link>
            {canManageCampaigns(me.user.role) ? <NoticeSettingsButton /> : null}
            {canManageCampaigns(me.user.role) ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('campaigns.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('campaigns.search')}
            onSearch={setQ}
            style={{ width: 240 }}
          />
          <Select
            allowClear
            placeholder={t('campaigns.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaigns.statuses.${s}`) }))}
          />
          <Select
            allowClear
            placeholder={t('campaigns.channel')}
            value={channel}
            onChange={setChannel}
            style={{ width: 180 }}
            options={CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channels.${c}`) }))}
          />
        </Flex>
        {list.error ? <Alert type="error" message={errorText(list.error)} /> : null}
        <Table<CampaignDto>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          data-testid="campaigns-table"
        />
        {list.hasNextPage ? (
          <Button
            onClick={() => list.fetchNextPage()}
            loading={list.isFetchingNextPage}
            style={{ marginTop: 12 }}
          >
            {t('campaigns.loadMore')}
          </Button>
        ) : null}
      </Card>
      <CampaignForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          navigate(campaignPath(c.id));
        }}
      />
    </>
  );
}
