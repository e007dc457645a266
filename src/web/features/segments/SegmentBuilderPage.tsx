import { DownloadOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Skeleton,
  Statistic,
  Table,
  type TableProps,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { SegmentDefinition } from '../../../contracts/segments.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canManageSegments, canSnapshotSegments } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import {
  exportUrl,
  isComplete,
  segmentPath,
  useLiveCount,
  useSaveSegment,
  useSegment,
  useSegmentContacts,
  useSegmentFields,
} from './api.ts';
import { GroupEditor } from './GroupEditor.tsx';
import { SnapshotsCard } from './SnapshotsCard.tsx';

const EMPTY: SegmentDefinition = { kind: 'group', match: 'all', conditions: [] };

/** Build a segment (new at /segments/new, saved at /segments/:id) with its live count and contacts. */
export function SegmentBuilderPage() {
  const { id: param } = useParams();
  const id = param === 'new' ? undefined : param;
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const saved = useSegment(id);
  const fields = useSegmentFields();
  const save = useSaveSegment(id);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [definition, setDefinition] = useState<SegmentDefinition>(EMPTY);
  const [loadedId, setLoadedId] = useState<string | undefined>();

  // Load the saved segment into the editor once per segment (later refetches keep the edits).
  useEffect(() => {
    if (saved.data && saved.data.id !== loadedId) {
      setName(saved.data.name);
      setDescription(saved.data.description ?? '');
      setDefinition(saved.data.definition);
      setLoadedId(saved.data.id);
    }
  }, [saved.data, loadedId]);

  const count = useLiveCount(definition);
  const complete = isComplete(definition);
  const contacts = useSegmentContacts(id, saved.data?.updatedAt ?? '');
  const rows = contacts.data?.pages.flatMap((p) => p.items) ?? [];
  const canEdit = canManageSegments(me.user.role);

  if (id && saved.isLoading) return <Skeleton active />;
  if (saved.error) return <Alert type="error" message={errorText(saved.error)} />;

  const onSave = () => {
    save.mutate(
      { name, description: description || null, definition },
      {
        onSuccess: (s) => {
          void message.success(t('segments.saved'));
          if (!id) navigate(segmentPath(s.id), { replace: true });
        },
      },
    );
  };

  const columns: TableProps<ContactDto>['columns'] = [
    {
      key: 'name',
      title: t('segments.contactName'),
      render: (_, c) => (
        <Link to={`/contacts/${c.id}`} className="record-name">
          {[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id}
        </Link>
      ),
    },
    { key: 'email', title: t('segments.email'), render: (_, c) => c.email ?? '—' },
    { key: 'country', title: t('segments.fields.country'), render: (_, c) => fmt.country(c.country) || '—' },
    { key: 'created', title: t('segments.fields.created_at'), render: (_, c) => fmt.dateTime(c.createdAt) },
  ];

  return (
    <>
      <PageHeader
        title={id ? saved.data?.name || t('segments.title') : t('segments.new')}
        subtitle={t('segments.builderSubtitle')}
        extra={
          canEdit ? (
            <Button
              type="primary"
              icon={<SaveOutlined />}
              onClick={onSave}
              loading={save.isPending}
              disabled={!name.trim()}
            >
              {t('segments.save')}
            </Button>
          ) : null
        }
      />
      <Flex vertical gap={16}>
        <Card>
          <Flex gap={24} align="flex-start" wrap>
            <Form layout="vertical" style={{ flex: 1, minWidth: 280 }}>
              <Form.Item label={t('segments.name')} htmlFor="segment-name" required>
                <Input
                  id="segment-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  maxLength={120}
                />
              </Form.Item>
              <Form.Item
                label={t('segments.description')}
                htmlFor="segment-description"
                style={{ marginBottom: 0 }}
              >
                <Input
                  id="segment-description"
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                  maxLength={2000}
                />
              </Form.Item>
            </Form>
            <Statistic
              title={t('segments.liveCount')}
              value={complete && count.data ? count.data.count : '—'}
              loading={complete && count.isLoading}
              valueRender={(node) => <span data-testid="live-count">{node}</span>}
            />
          </Flex>
          {save.error ? (
            <Alert type="error" message={errorText(save.error)} style={{ marginTop: 12 }} />
          ) : null}
          {complete ? null : (
            <Alert
              type="info"
              message={t('segments.countWaits')}
              style={{ marginTop: 12 }}
              data-testid="count-waits"
            />
          )}
          {complete && count.error ? (
            <Alert
              type="warning"
              message={errorText(count.error)}
              style={{ marginTop: 12 }}
              data-testid="count-error"
            />
          ) : null}
        </Card>
        {fields.error ? <Alert type="error" message={errorText(fields.error)} /> : null}
        <GroupEditor
          group={definition}
          fields={fields.data?.items ?? []}
          onChange={setDefinition}
          selfId={id}
        />
        {id ? (
          <Card
            title={t('segments.contacts')}
            extra={
              <Button icon={<DownloadOutlined />} href={exportUrl(id)} download data-testid="segment-export">
                {t('segments.export')}
              </Button>
            }
          >
            {contacts.error ? <Alert type="error" message={errorText(contacts.error)} /> : null}
            <Table<ContactDto>
              rowKey="id"
              columns={columns}
              dataSource={rows}
              loading={contacts.isLoading}
              pagination={false}
              data-testid="segment-contacts"
            />
            {contacts.hasNextPage ? (
              <Button
                onClick={() => contacts.fetchNextPage()}
                loading={contacts.isFetchingNextPage}
                style={{ marginTop: 12 }}
              >
                {t('segments.loadMore')}
              </Button>
            ) : null}
          </Card>
        ) : null}
        {id ? <SnapshotsCard segmentId={id} canTake={canSnapshotSegments(me.user.role)} /> : null}
      </Flex>
    </>
  );
}
