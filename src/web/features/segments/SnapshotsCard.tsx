import { CameraOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SegmentSnapshotDto } from '../../../contracts/segments.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { useSnapshots, useTakeSnapshot } from './api.ts';

/** Frozen member lists of a saved segment (for a send): take one, see the earlier ones. */
export function SnapshotsCard({ segmentId, canTake }: { segmentId: string; canTake: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const snapshots = useSnapshots(segmentId);
  const take = useTakeSnapshot(segmentId);
  const [purpose, setPurpose] = useState('');

  const onTake = () =>
    take.mutate(purpose.trim() || null, {
      onSuccess: (s) => {
        setPurpose('');
        void message.success(t('segments.snapshotTaken', { count: s.count }));
      },
    });

  const columns: TableProps<SegmentSnapshotDto>['columns'] = [
    { key: 'at', title: t('segments.takenAt'), render: (_, s) => fmt.dateTime(s.takenAt) },
    { key: 'count', title: t('segments.count'), dataIndex: 'count' },
    { key: 'purpose', title: t('segments.purpose'), render: (_, s) => s.purpose ?? '—' },
  ];

  return (
    <Card title={t('segments.snapshots')}>
      <Typography.Paragraph type="secondary">{t('segments.snapshotsHelp')}</Typography.Paragraph>
      {canTake ? (
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <Input
            aria-label={t('segments.snapshotPurpose')}
            placeholder={t('segments.snapshotPurpose')}
            value={purpose}
            maxLength={200}
            onChange={(e) => setPurpose(e.target.value)}
            style={{ maxWidth: 360 }}
          />
          <Button icon={<CameraOutlined />} onClick={onTake} loading={take.isPending}>
            {t('segments.takeSnapshot')}
          </Button>
        </Flex>
      ) : null}
      {take.error ? (
        <Alert type="error" message={errorText(take.error)} style={{ marginBottom: 12 }} />
      ) : null}
      {snapshots.error ? <Alert type="error" message={errorText(snapshots.error)} /> : null}
      <Table<SegmentSnapshotDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={snapshots.data?.items ?? []}
        loading={snapshots.isLoading}
        pagination={false}
        data-testid="segment-snapshots"
      />
    </Card>
  );
}
