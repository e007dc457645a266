import { stringify } from 'csv-stringify/sync';
import type { Expression, SqlBool } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import { formatMoney } from '../../lib/money.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './capture.export.repo.ts';
import type { ImportEntity } from './capture.mapping.ts';

/**
 * CSV export of every list, with the headers the importer recognises (a file exported here imports
 * back unchanged) and cells that a spreadsheet would run as formulas neutralised.
 */
const PAGE = 5000;

interface Column {
  header: string;
  value: (r: repo.ExportRow) => unknown;
}

const col = (header: string, field: string): Column => ({ header, value: (r) => r[field] });

const CONTACT_COLUMNS: Column[] = [
  col('tandemId', 'id'),
  col('externalId', 'external_id'),
  col('email', 'email'),
  col('firstName', 'first_name'),
  col('lastName', 'last_name'),
  col('phone', 'phone'),
  col('title', 'title'),
  col('company', 'company_name'),
  col('companyDomain', 'company_domain'),
  col('country', 'country'),
  col('language', 'language'),
  col('tags', 'tags'),
  col('owner', 'owner'),
  col('source', 'source_channel'),
  col('utmSource', 'source_utm_source'),
  col('utmMedium', 'source_utm_medium'),
  col('utmCampaign', 'source_utm_campaign'),
  col('referrer', 'source_referrer'),
  col('firstTouchAt', 'first_touch_at'),
  col('createdAt', 'created_at'),
];

const COMPANY_COLUMNS: Column[] = [
  col('tandemId', 'id'),
  col('name', 'name'),
  col('domain', 'domain'),
  col('website', 'website'),
  col('industry', 'industry'),
  col('employees', 'employees'),
  col('country', 'country'),
  col('phone', 'phone'),
  col('tags', 'tags'),
  col('owner', 'owner'),
  col('createdAt', 'created_at'),
];

const TOUCH_COLUMNS: Column[] = [
  col('tandemId', 'id'),
  col('occurredAt', 'occurred_at'),
  col('contact.email', 'contact_email'),
  col('contact.external_id', 'contact_external_id'),
  col('type', 'type'),
  col('direction', 'direction'),
  col('channel', 'channel'),
  col('campaignId', 'campaign_id'),
  col('subject', 'subject'),
];

/**
 * Deals: `externalId` is the deal's external id, or its Tandem id when it came without one, so the
 * file imports back (into another workspace, or skipped as existing in this one).
 */
const DEAL_COLUMNS: Column[] = [
  { header: 'externalId', value: (r) => r.external_id ?? r.id },
  col('name', 'name'),
  col('pipeline', 'pipeline'),
  col('stage', 'stage'),
  {
    header: 'amount',
    value: (r) =>
      r.amount_minor === null || r.amount_minor === undefined
        ? null
        : formatMoney({ amountMinor: BigInt(r.amount_minor as string), currency: r.currency as string }),
  },
  col('currency', 'currency'),
  col('expectedCloseOn', 'expected_close_on'),
  col('createdAt', 'created_at'),
  col('wonAt', 'won_at'),
  col('lostAt', 'lost_at'),
  col('lostReason', 'lost_reason'),
  col('lostNote', 'lost_note'),
  col('owner', 'owner'),
  col('contact.email', 'contact_email'),
  col('contact.external_id', 'contact_external_id'),
];

const BASE_COLUMNS: Record<ImportEntity, Column[]> = {
  contacts: CONTACT_COLUMNS,
  companies: COMPANY_COLUMNS,
  touches: TOUCH_COLUMNS,
  deals: DEAL_COLUMNS,
};

/** A cell a spreadsheet would evaluate (=, +, -, @, tab, CR) gets a leading apostrophe. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return neutralise(v.join(';'));
  if (typeof v === 'object') return neutralise(JSON.stringify(v));
  return neutralise(String(v));
}

/** Streams an entity's CSV, page by page; appends one audit row with the count when done. */
export async function* exportCsv(
  ctx: AppContext,
  actor: Actor,
  entity: ImportEntity,
  /** Contacts only: a segment's condition on `contacts`, and what the audit row says about it. */
  opts: { contactFilter?: Expression<SqlBool>; auditDiff?: Record<string, unknown> } = {},
): AsyncGenerator<string> {
  const customEntity = entity === 'contacts' ? 'contact' : entity === 'companies' ? 'company' : null;
  const custom = customEntity
    ? await repo.customKeys(ctx.db, actor.workspaceId, customEntity)
    : entity === 'deals'
      ? await repo.dealCustomKeys(ctx.db, actor.workspaceId)
      : [];
  const base = BASE_COLUMNS[entity];
  const columns = [
    ...base,
    ...custom.map((k) => ({
      header: `custom.${k}`,
      value: (r: repo.ExportRow) => (r.custom as Record<string, unknown>)?.[k],
    })),
  ];
  yield stringify([columns.map((c) => c.header)]);
  let count = 0;
  let afterId = '';
  let afterTouch: { at: Date; id: string } | null = null;
  for (;;) {
    const rows: repo.ExportRow[] =
      entity === 'contacts'
        ? await repo.contactsPage(ctx.db, actor, afterId, PAGE, opts.contactFilter)
        : entity === 'companies'
          ? await repo.companiesPage(ctx.db, actor, afterId, PAGE)
          : entity === 'deals'
            ? await repo.dealsPage(ctx.db, actor, afterId, PAGE)
            : await repo.touchesPage(ctx.db, actor, afterTouch, PAGE);
    if (!rows.length) break;
    count += rows.length;
    yield stringify(rows.map((r) => columns.map((c) => cell(c.value(r)))));
    const last = rows[rows.length - 1]!;
    afterId = String(last.id);
    afterTouch =
      entity === 'touches' ? { at: new Date(last.occurred_at as string), id: String(last.id) } : null;
    if (rows.length < PAGE) break;
  }
  await appendAudit(ctx.db, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action: 'export',
    entityType: entity,
    entityId: null,
    diff: { rows: count, format: 'csv', ...opts.auditDiff },
  });
}
