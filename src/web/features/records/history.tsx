import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Skeleton, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryDto } from '../../../contracts/governance.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { actionKind, actionLabel } from '../governance/auditWords.ts';

function show(value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return t('history.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value))
    return value.length ? value.map((v) => show(v, t)).join(', ') : t('history.empty');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line per changed field: `{ field: { from, to } }`, `{ added, removed }` or a plain value. */
export interface DiffLabels {
  field: (key: string) => string;
  /** Names for ids (owner, team, company); null leaves the value as it is. */
  value?: (key: string, value: unknown) => string | null;
}

export function DiffList({
  diff,
  labels,
  max,
}: {
  diff: Record<string, unknown>;
  labels: DiffLabels;
  /** Show at most this many fields, then "+N more". */
  max?: number;
}) {
  const { t } = useTranslation();
  const fieldLabel = labels.field;
  const val = (key: string, v: unknown) => labels.value?.(key, v) ?? show(v, t);
  const rows: ReactNode[] = [];
  for (const [key, value] of Object.entries(diff)) {
    let body: ReactNode;
    if (isRecord(value) && ('from' in value || 'to' in value)) {
      body = (
        <>
          <span className="diff-old">{val(key, value.from)}</span> → <span>{val(key, value.to)}</span>
        </>
      );
    } else if (isRecord(value) && ('added' in value || 'removed' in value)) {
      body = t('history.addedRemoved', { added: show(value.added, t), removed: show(value.removed, t) });
    } else if (isRecord(value) && !Array.isArray(value)) {
      body = Object.entries(value)
        .map(([k, v]) => `${fieldLabel(k)}: ${val(k, v)}`)
        .join(' · ');
    } else {
      body = val(key, value);
    }
    rows.push(
      <li key={key}>
        <span className="field">{fieldLabel(key)}</span>: {body}
      </li>,
    );
  }
  if (!rows.length) return null;
  const hidden = max && rows.length > max ? rows.length - max : 0;
  return (
    <ul className="history-diff">
      {hidden ? rows.slice(0, max) : rows}
      {hidden ? <li className="muted">{t('history.more', { count: hidden })}</li> : null}
    </ul>
  );
}

/** A record's change history from `GET /api/<records>/:id/history`, newest first. */
export function HistoryTimeline({ path, labels }: { path: string; labels: DiffLabels }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const history = useInfiniteQuery({
    queryKey: [path],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntryDto>>(path, { cursor: pageParam ?? undefined, limit: 20 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (history.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (history.isError) return <Alert type="error" showIcon title={errorText(history.error)} />;
  const entries = history.data.pages.flatMap((p) => p.items);
  if (!entries.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.none')} />;
  return (
    <>
      <Timeline
        items={entries.map((e) => {
          const verb = actionKind(e.action);
          return {
            key: e.id,
            color:
              verb === 'delete' ? 'red' : verb === 'create' ? 'green' : verb === 'restore' ? 'blue' : 'gray',
            content: (
              <div data-testid="history-entry">
                <Typography.Text strong>{actionLabel(e.action, t)}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {t('history.byAt', { actor: e.actorLabel, at: fmt.dateTime(e.at) })}
                </Typography.Text>
                {verb === 'create' || verb === 'delete' || verb === 'restore' ? null : (
                  <DiffList diff={e.diff} labels={labels} />
                )}
              </div>
            ),
          };
        })}
      />
      {history.hasNextPage ? (
        <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage} block>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </>
  );
}
