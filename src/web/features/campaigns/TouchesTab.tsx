import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CampaignTouchDto } from '../../../contracts/campaigns.ts';
import { useFormat } from '../../app/format.ts';
import { useCampaignTouches } from './api.ts';

/** Touches logged for the campaign (booth scans, webinars attended, …), newest first. */
export function TouchesTab({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const touches = useCampaignTouches(campaignId);
  const rows = touches.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Table<CampaignTouchDto>
        rowKey="id"
        size="small"
        pagination={false}
        loading={touches.isLoading}
        dataSource={rows}
        data-testid="touches-table"
        columns={[
          { key: 'at', title: t('campaigns.when'), render: (_, x) => fmt.shortDateTime(x.occurredAt) },
          {
            key: 'contact',
            title: t('campaigns.contact'),
            render: (_, x) => <Link to={`/contacts/${x.contactId}`}>{x.contactName}</Link>,
          },
          { key: 'type', title: t('campaigns.touchType'), dataIndex: 'type' },
          { key: 'direction', title: t('campaigns.direction'), dataIndex: 'direction' },
        ]}
      />
      {touches.hasNextPage ? (
        <Button onClick={() => touches.fetchNextPage()} style={{ marginTop: 12 }}>
          {t('campaigns.loadMore')}
        </Button>
      ) : null}
    </>
  );
}
