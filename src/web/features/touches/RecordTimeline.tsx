import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Segmented,
  Select,
  Skeleton,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { FormDto } from '../../../contracts/forms.ts';
import { type TimelineItem, TOUCH_TYPES } from '../../../contracts/touches.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { contactName } from '../contacts/api.ts';
import { actionKind, actionLabel, entityLabel } from '../governance/auditWords.ts';
import { useNames } from '../records/directory.ts';
import { type DiffLabels, DiffList } from '../records/history.tsx';
import { NO_FILTERS, type RecordBase, type TimelineFilters, useTimeline } from './api.ts';
import { LogTouchModal } from './LogTouchModal.tsx';
import { touchIcon, touchText, touchTypeLabel } from './touchWords.tsx';

type TouchItem = Extract<TimelineItem, { kind: 'touch' }>;
type ChangeItem = Extract<TimelineItem, { kind: 'change' }>;

/** The people of a company by id (names on its timeline, choices when logging a touch). */
export function useCompanyContacts(companyId: string | null, enabled = true) {
  return useQuery({
    queryKey: ['/api/companies', companyId, 'contacts', 'all'],
    queryFn: () =>
      api.get<Page<ContactDto>>(`/api/companies/${companyId}/contacts`, {
        limit: 500,
        sort: 'name',
        order: 'asc',
      }),
    enabled: enabled && Boolean(companyId),
    staleTime: 30_000,
  });
}

function FormName({ id }: { id: string }) {
  const form = useQuery({
    queryKey: ['/api/forms', id],
    queryFn: () => api.get<FormDto>(`/api/forms/${id}`),
    staleTime: 5 * 60_000,
  });
  return <Link to={`/capture/forms/${id}`}>{form.data?.name ?? id}</Link>;
}

/**
 * A contact's or company's timeline: touches (marketing and sales) and record changes, newest
 * first, with filters and "Log a touch". It replaces the plain change history on detail pages.
 */
export function RecordTimeline({
  base,
  id,
  labels,
  canLog,
  contact,
}: {
  base: RecordBase;
  id: string;
  labels: DiffLabels;
  canLog: boolean;
  /** On a contact page: who a logged touch is for. On a company page the user picks a contact. */
  contact?: { id: string; companyId: string | null };
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const [filters, setFilters] = useState<TimelineFilters>(NO_FILTERS);
  const [logging, setLogging] = useState(false);
  const timeline = useTimeline(base, id, filters);
  const isCompany = base === '/api/companies';
  const people = useCompanyContacts(isCompany ? id : null);
  const personName = useMemo(() => {
    const m = new Map((people.data?.items ?? []).map((c) => [c.id, contactName(c) || t('contacts.unnamed')]));
    return (cid: string) => m.get(cid) ?? t('timeline.aContact');
  }, [people.data, t]);

  const typeOptions = useMemo(
    () =>
      TOUCH_TYPES.map((type) => ({ value: type, label: touchTypeLabel(type, t) })).sort((a, b) =>
        a.label.localeCompare(b.label),
      ),
    [t],
  );
  const set = (patch: Partial<TimelineFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = filters.kind !== 'all' || filters.type !== null || filters.direction !== null;

  const touch = (item: TouchItem) => {
    const x = item.touch;
    const text = touchText(x.metadata);
    const formId = typeof x.metadata.formId === 'string' ? x.metadata.formId : null;
    const meta: { key: string; node: ReactNode }[] = [{ key: 'at', node: fmt.dateTime(x.occurredAt) }];
    if (isCompany)
      meta.push({
        key: 'contact',
        node: <Link to={`/contacts/${x.contactId}`}>{personName(x.contactId)}</Link>,
      });
    if (x.channel && x.channel !== x.type)
      meta.push({ key: 'channel', node: t('timeline.via', { channel: x.channel }) });
    if (x.userId) meta.push({ key: 'user', node: t('timeline.by', { name: names.user(x.userId) }) });
    return {
      key: item.id,
      color: x.direction === 'marketing' ? 'blue' : 'green',
      icon: <span className={`timeline-icon timeline-icon-${x.direction}`}>{touchIcon(x.type)}</span>,
      content: (
        <div data-testid="timeline-touch" className="timeline-entry">
          <Flex gap={6} align="center" wrap>
            <Typography.Text strong>{touchTypeLabel(x.type, t)}</Typography.Text>
            <Tag
              bordered={false}
              color={x.direction === 'marketing' ? 'blue' : 'green'}
              className="tag-compact"
            >
              {t(`touches.directions.${x.direction}`)}
            </Tag>
            {x.metadata.handRaise === true ? (
              <Tag bordered={false} color="gold" className="tag-compact">
                {t('timeline.handRaise')}
              </Tag>
            ) : null}
          </Flex>
          <div className="timeline-meta">
            {meta.map((m, i) => (
              <span key={m.key}>
                {i ? ' · ' : ''}
                {m.node}
              </span>
            ))}
          </div>
          {text ? (
            <Typography.Paragraph className="timeline-text" ellipsis={{ rows: 3, expandable: true }}>
              {text}
            </Typography.Paragraph>
          ) : null}
          {formId ? (
            <div className="timeline-meta">
              {t('timeline.form')}: <FormName id={formId} />
            </div>
          ) : null}
          {x.campaignId ? (
            <div className="timeline-meta">{t('timeline.campaign', { id: x.campaignId })}</div>
          ) : null}
        </div>
      ),
    };
  };

  const change = (item: ChangeItem) => {
    const c = item.change;
    const verb = actionKind(c.action);
    const other = c.entityType !== (isCompany ? 'company' : 'contact');
    return {
      key: item.id,
      color: verb === 'delete' ? 'red' : verb === 'create' ? 'green' : verb === 'restore' ? 'blue' : 'gray',
      content: (
        <div data-testid="history-entry" className="timeline-entry">
          <Typography.Text strong>
            {actionLabel(c.action, t)}
            {other ? ` · ${entityLabel(c.entityType, t)}` : ''}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">
            {t('history.byAt', { actor: c.actorLabel, at: fmt.dateTime(item.at) })}
          </Typography.Text>
          {verb === 'create' || verb === 'delete' || verb === 'restore' ? null : (
            <DiffList diff={c.diff} labels={labels} max={8} />
          )}
        </div>
      ),
    };
  };

  let body: ReactNode;
  if (timeline.isPending) body = <Skeleton active paragraph={{ rows: 4 }} />;
  else if (timeline.isError) body = <Alert type="error" showIcon title={errorText(timeline.error)} />;
  else {
    const items = timeline.data.pages.flatMap((p) => p.items);
    body = items.length ? (
      <>
        <Timeline
          className="record-timeline"
          items={items.map((item) => (item.kind === 'touch' ? touch(item) : change(item)))}
        />
        {timeline.hasNextPage ? (
          <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} block>
            {t('common.loadMore')}
          </Button>
        ) : null}
      </>
    ) : (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={filtered ? t('timeline.noneFiltered') : t('timeline.none')}
      />
    );
  }

  return (
    <Card
      title={t('timeline.title')}
      data-testid="timeline"
      extra={
        canLog ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setLogging(true)}
            data-testid="log-touch"
          >
            {t('touches.log')}
          </Button>
        ) : null
      }
    >
      <Flex vertical gap={8} className="timeline-filters">
        <Segmented<TimelineFilters['kind']>
          block
          size="small"
          value={filters.kind}
          onChange={(kind) => set({ kind })}
          options={(['all', 'touch', 'change'] as const).map((k) => ({
            value: k,
            label: t(`timeline.kinds.${k}`),
          }))}
          data-testid="timeline-kind"
        />
        <Flex gap={8}>
          <Select
            size="small"
            allowClear
            value={filters.type ?? undefined}
            onChange={(v: string | undefined) => set({ type: v ?? null })}
            options={typeOptions}
            placeholder={t('timeline.anyType')}
            disabled={filters.kind === 'change'}
            showSearch={{ optionFilterProp: 'label' }}
            popupMatchSelectWidth={false}
            className="timeline-filter"
            aria-label={t('touches.fields.type')}
          />
          <Select
            size="small"
            allowClear
            value={filters.direction ?? undefined}
            onChange={(v: 'marketing' | 'sales' | undefined) => set({ direction: v ?? null })}
            options={(['marketing', 'sales'] as const).map((d) => ({
              value: d,
              label: t(`touches.directions.${d}`),
            }))}
            placeholder={t('timeline.anyDirection')}
            disabled={filters.kind === 'change'}
            className="timeline-filter"
            aria-label={t('touches.fields.direction')}
          />
        </Flex>
      </Flex>
      {body}
      {logging ? (
        <LogTouchModal
          contact={contact}
          companyId={isCompany ? id : null}
          choices={people.data?.items}
          onClose={() => setLogging(false)}
        />
      ) : null}
    </Card>
  );
}
