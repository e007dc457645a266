import { ShareAltOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Spin,
  Table,
  type TableProps,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { ContentAssetDto, ContentShareDto, ContentVersionDto } from '../../../contracts/content.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageContent, canShareContent } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ContactSelect } from '../deals/DealForm.tsx';
import type { FunnelStage } from './api.ts';
import { CONTENT, useAsset, useContentWrites } from './api.ts';

/** One asset: what it is, its version history, and tracked share links for a contact. */
export function ContentDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const errorText = useErrorText();
  const asset = useAsset(id);
  const [versioning, setVersioning] = useState(false);
  const [sharing, setSharing] = useState(false);

  if (asset.error) return <Alert type="error" message={errorText(asset.error)} />;
  if (!asset.data) return <Spin />;
  const a = asset.data;

  const columns: TableProps<ContentVersionDto>['columns'] = [
    { key: 'version', title: t('content.version'), render: (_, v) => `v${v.version}` },
    {
      key: 'what',
      title: t('content.fields.source'),
      render: (_, v) =>
        v.url ? (
          <a href={v.url} target="_blank" rel="noreferrer">
            {v.url}
          </a>
        ) : (
          <a href={`${CONTENT}/${a.id}/versions/${v.id}/file`} target="_blank" rel="noreferrer">
            {v.fileName}
          </a>
        ),
    },
    {
      key: 'size',
      title: t('content.size'),
      align: 'right',
      render: (_, v) =>
        v.bytes === null ? '—' : t('content.kb', { n: fmt.number(Math.ceil(v.bytes / 1024)) }),
    },
    { key: 'note', title: t('content.note'), render: (_, v) => v.note ?? '—', responsive: ['md'] },
    { key: 'created', title: t('content.added'), render: (_, v) => fmt.dateTime(v.createdAt) },
  ];

  return (
    <>
      <PageHeader
        title={a.title}
        subtitle={t(`content.kinds.${a.kind}`)}
        extra={
          <>
            {canManageContent(me.user.role) ? (
              <Button icon={<UploadOutlined />} onClick={() => setVersioning(true)}>
                {t('content.newVersion')}
              </Button>
            ) : null}
            {canShareContent(me.user.role) ? (
              <Button type="primary" icon={<ShareAltOutlined />} onClick={() => setSharing(true)}>
                {t('content.share')}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card>
          <Descriptions column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('content.fields.source')}>
              {t(`content.sources.${a.source}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('content.fields.funnelStage')}>
              {a.funnelStage ? t(`content.stages.${a.funnelStage as FunnelStage}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('content.fields.product')}>{a.product ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('content.fields.language')}>{a.language ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('content.fields.market')}>{a.market ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('content.version')}>v{a.currentVersion}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('content.history')}>
          <Table<ContentVersionDto>
            rowKey="id"
            columns={columns}
            dataSource={[...a.versions].sort((x, y) => y.version - x.version)}
            pagination={false}
            data-testid="content-versions"
          />
        </Card>
      </Flex>
      <VersionModal asset={a} open={versioning} onClose={() => setVersioning(false)} />
      <ShareModal asset={a} open={sharing} onClose={() => setSharing(false)} />
    </>
  );
}

function VersionModal({
  asset,
  open,
  onClose,
}: {
  asset: ContentAssetDto;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const writes = useContentWrites();
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [note, setNote] = useState('');

  const save = async () => {
    try {
      if (asset.source === 'file') {
        if (!file) {
          message.error(t('content.fileRequired'));
          return;
        }
        await writes.addVersion.mutateAsync({ id: asset.id, version: { file } });
      } else {
        await writes.addVersion.mutateAsync({
          id: asset.id,
          version: { url: url.trim(), ...(note.trim() ? { note: note.trim() } : {}) },
        });
      }
      setFile(null);
      setUrl('');
      setNote('');
      message.success(t('content.versionAdded'));
      onClose();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <Modal
      open={open}
      title={t('content.newVersion')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={save}
      confirmLoading={writes.addVersion.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('content.versionHelp')}</Typography.Paragraph>
      {asset.source === 'file' ? (
        <input
          type="file"
          aria-label={t('content.fields.file')}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      ) : (
        <Form layout="vertical">
          <Form.Item label={t('content.fields.url')}>
            <Input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
          </Form.Item>
          <Form.Item label={t('content.note')}>
            <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function ShareModal({
  asset,
  open,
  onClose,
}: {
  asset: ContentAssetDto;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const writes = useContentWrites();
  const [contactId, setContactId] = useState<string | null>(null);
  const [days, setDays] = useState<number | null>(null);
  const [share, setShare] = useState<ContentShareDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setShare(null);
    setContactId(null);
    setDays(null);
    setError(null);
    onClose();
  };
  const create = async () => {
    if (!contactId) {
      setError(t('content.contactRequired'));
      return;
    }
    try {
      setError(null);
      setShare(
        await writes.share.mutateAsync({ id: asset.id, contactId, ...(days ? { expiresInDays: days } : {}) }),
      );
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Modal
      open={open}
      title={t('content.shareTitle', { title: asset.title })}
      onCancel={close}
      footer={
        share ? (
          <Button onClick={close}>{t('content.done')}</Button>
        ) : (
          <>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={writes.share.isPending} onClick={create}>
              {t('content.createLink')}
            </Button>
          </>
        )
      }
      destroyOnHidden
    >
      {share ? (
        <Flex vertical gap={8}>
          <Typography.Text>{t('content.linkReady')}</Typography.Text>
          <Typography.Paragraph copyable code data-testid="share-url">
            {`${window.location.origin}${share.path}`}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            {share.expiresAt
              ? t('content.expiresAt', { at: fmt.dateTime(share.expiresAt) })
              : t('content.noExpiry')}
          </Typography.Text>
        </Flex>
      ) : (
        <Form layout="vertical">
          <Form.Item label={t('content.contact')} required>
            <ContactSelect value={contactId} onChange={setContactId} />
          </Form.Item>
          <Form.Item label={t('content.expiresIn')} help={t('content.expiresHelp')}>
            <InputNumber
              min={1}
              max={365}
              value={days}
              onChange={(v) => setDays(v)}
              aria-label={t('content.expiresIn')}
            />
          </Form.Item>
          {error ? <Alert type="error" message={error} /> : null}
        </Form>
      )}
    </Modal>
  );
}
