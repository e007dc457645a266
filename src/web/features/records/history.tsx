import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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
