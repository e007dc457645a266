import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Select, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CampaignMemberDto, MemberStatus } from '../../../contracts/campaigns.ts';
import { useErrorText } from '../../app/errors.ts';
import { useSegments } from '../segments/api.ts';
import { useCampaignWrites, useMembers } from './api.ts';

/**
 * Members with a status per channel; marketing adds contacts by id, a saved segment (the audience)
 * or an imported list (the import wizard with this campaign picked).
 */
export function MembersTab({
  campaignId,
  statuses,
  canEdit,
}: {
  campaignId: string;
  statuses: MemberStatus[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const members = useMembers(campaignId);
  const writes = useCampaignWrites();
  const [ids, setIds] = useState('');
  const [segmentId, setSegmentId] = useState<string | undefined>();
  const segments = useSegments('');
  const segmentOptions = (segments.data?.pages.flatMap((p) => p.items) ?? []).map((sg) => ({
    value: sg.id,
    label: sg.name,
  }));
  const [status, setStatus] = useState<MemberStatus>(statuses[0] ?? 'targeted');
  const [result, setResult] = useState<string | null>(null);
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];

  const add = async () => {
    const contactIds = ids.split(/[\s,]+/).filter(Boolean);
    const body = segmentId ? { segmentId, status } : { contactIds, status };
    try {
      const r = await writes.addMembers.mutateAsync({ id: campaignId, body });
      setResult(t('campaigns.addResult', r));
      setIds('');
      setSegmentId(undefined);
    } catch (err) {
      setResult(errorText(err));
    }
  };

  const columns: TableProps<CampaignMemberDto>['columns'] = [
    {
      key: 'name',
      title: t('campaigns.contact'),
      render: (_, m) => <Link to={`/contacts/${m.contactId}`}>{m.name}</Link>,
    },
    { key: 'email', title: t('campaigns.email'), dataIndex: 'email' },
    { key: 'company', title: t('campaigns.company'), dataIndex: 'companyName', responsive: ['md'] },
    {
      key: 'status',
      title: t('campaigns.status'),
      render: (_, m) =>
        canEdit ? (
          <Select
            size="small"
            value={m.status}
            style={{ width: 160 }}
            aria-label={t('campaigns.memberStatusOf', { name: m.name })}
            onChange={(s) => writes.setStatus.mutate({ id: campaignId, contactId: m.contactId, status: s })}
            options={statuses.map((s) => ({ value: s, label: t(`campaigns.memberStatuses.${s}`) }))}
          />
        ) : (
          t(`campaigns.memberStatuses.${m.status}`)
        ),
    },
    {
      key: 'source',
      title: t('campaigns.source'),
      render: (_, m) => t(`campaigns.sources.${m.source as 'manual' | 'segment' | 'import' | 'list'}`),
    },
  ];

  return (
    <>
      {canEdit ? (
        <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
          <Input
            placeholder={t('campaigns.contactIds')}
            value={ids}
            onChange={(e) => setIds(e.target.value)}
            style={{ width: 280 }}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('campaigns.audienceSegment')}
            data-testid="members-segment"
            placeholder={t('campaigns.segmentId')}
            value={segmentId}
            onChange={(v: string | undefined) => setSegmentId(v)}
            loading={segments.isLoading}
            options={segmentOptions}
            style={{ width: 220 }}
          />
          <Select
            aria-label={t('campaigns.newMemberStatus')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={statuses.map((s) => ({ value: s, label: t(`campaigns.memberStatuses.${s}`) }))}
          />
          <Button onClick={add} loading={writes.addMembers.isPending} disabled={!ids.trim() && !segmentId}>
            {t('campaigns.addMembers')}
          </Button>
          <Link
            to={`/capture/imports/new?entity=contacts&campaign=${campaignId}`}
            data-testid="members-import"
          >
            <Button icon={<UploadOutlined />}>{t('campaigns.importList')}</Button>
          </Link>
          {result ? <Typography.Text type="secondary">{result}</Typography.Text> : null}
        </Flex>
      ) : null}
      {members.error ? <Alert type="error" message={errorText(members.error)} /> : null}
      <Table<CampaignMemberDto>
        rowKey="contactId"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={members.isLoading}
        pagination={false}
        data-testid="members-table"
      />
      {members.hasNextPage ? (
        <Button onClick={() => members.fetchNextPage()} style={{ marginTop: 12 }}>
          {t('campaigns.loadMore')}
        </Button>
      ) : null}
    </>
  );
}
