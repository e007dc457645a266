import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface TouchRow {
  workspace_id: string;
  id: string;
  occurred_at: Date;
  contact_id: string;
  company_id: string | null;
  campaign_id: string | null;
  user_id: string | null;
  type: string;
  direction: 'marketing' | 'sales';
  channel: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/**
 * Per database handle, the months (`YYYY-MM-01`) whose partition is known to exist and known to
 * have statistics: steady-state inserts ask the catalog nothing.
 */
const partitionMemo = new WeakMap<object, { existing: Set<string>; analyzed: Set<string> }>();

function memoOf(db: object): { existing: Set<string>; analyzed: Set<string> } {
  let memo = partitionMemo.get(db);
  if (!memo) {
    memo = { existing: new Set(), analyzed: new Set() };
    partitionMemo.set(db, memo);
  }
  return memo;
}

/**
 * Makes sure the monthly partitions for these months exist, each in its own short statement before
 * the inserting transaction (creating a partition locks the parent briefly).
 */
export async function ensurePartitions(db: Kysely<Database>, months: Iterable<string>): Promise<void> {
  const known = memoOf(db).existing;
  for (const month of months) {
    if (known.has(month)) continue;
    await sql`SELECT tandem_ensure_touch_partition(${month}::date)`.execute(db);
    known.add(month);
  }
}

/**
 * ANALYZEs the monthly partitions of these months (`YYYY-MM-01`) that have never been analyzed,
 * after rows went in. Autovacuum gets to a new partition only after a minute or so; until then the
 * planner has no statistics for it and guessed its way into per-touch scans of whole partitions
 * through the campaign index (a 1,000-touch batch's rescore took 340 ms instead of 35). The catalog
 * says whether a partition was ever analyzed.
 */
export async function analyzeNewPartitions(db: Kysely<Database>, months: Iterable<string>): Promise<void> {
  const done = memoOf(db).analyzed;
  const names = [...new Set(months)]
    .filter((m) => !done.has(m))
    .map((m) => `touches_y${m.slice(0, 4)}m${m.slice(5, 7)}`);
  if (!names.length) return;
  const res = await sql<{ relname: string; reltuples: number }>`
    SELECT relname, reltuples FROM pg_class WHERE relname = ANY(${names}::text[]) AND relkind = 'r'`.execute(
    db,
  );
  for (const r of res.rows) {
    if (r.reltuples < 0) await sql`ANALYZE ${sql.table(r.relname)}`.execute(db);
    done.add(`${r.relname.slice(9, 13)}-${r.relname.slice(14, 16)}-01`);
  }
}

export interface ContactRef {
  id: string;
  email: string | null;
  external_id: string | null;
  company_id: string | null;
}

/** Live contacts visible to the actor, by id, e-mail (case-insensitive) or external id. */
export async function findContactRefs(
  db: Db,
  actor: Actor,
  refs: { ids: string[]; emails: string[]; externalIds: string[] },
): Promise<ContactRef[]> {
  if (!refs.ids.length && !refs.emails.length && !refs.externalIds.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'email', 'external_id', 'company_id'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('deleted_at', 'is', null)
    .where(visibleTo(actor, 'contacts'))
    .where((eb) => {
      const ors = [];
      if (refs.ids.length) ors.push(eb('id', 'in', refs.ids));
      if (refs.emails.length) ors.push(eb(eb.fn('lower', ['email']), 'in', refs.emails));
      if (refs.externalIds.length) ors.push(eb('external_id', 'in', refs.externalIds));
      return eb.or(ors);
    })
    .execute();
}

/** Claims idempotency keys; returns the keys that were new (the others already existed). */
export async function claimKeys(
  trx: Transaction<Database>,
  workspaceId: string,
  rows: { key: string; touchId: string; occurredAt: Date }[],
): Promise<Set<string>> {
  if (!rows.length) return new Set();
  // Arrays and unnest: a handful of parameters per statement, however large the batch.
  const res = await sql<{ key: string }>`
    INSERT INTO touch_keys (workspace_id, key, touch_id, occurred_at)
    SELECT ${workspaceId}, k, t, o
    FROM unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.touchId)}::text[],
                ${rows.map((r) => r.occurredAt.toISOString())}::timestamptz[]) AS u(k, t, o)
    ON CONFLICT (workspace_id, key) DO NOTHING
    RETURNING key`.execute(trx);
  return new Set(res.rows.map((r) => r.key));
}

export async function findKeys(
  db: Db,
  workspaceId: string,
  keys: string[],
): Promise<Map<string, { touchId: string; occurredAt: Date }>> {
  if (!keys.length) return new Map();
  const rows = await sql<{ key: string; touch_id: string; occurred_at: Date }>`
    SELECT key, touch_id, occurred_at FROM touch_keys
    WHERE workspace_id = ${workspaceId} AND key IN (${sql.join(keys)})`.execute(db);
  return new Map(rows.rows.map((r) => [r.key, { touchId: r.touch_id, occurredAt: new Date(r.occurred_at) }]));
}

export async function insertTouches(
  trx: Transaction<Database>,
  rows: Omit<TouchRow, 'created_at'>[],
): Promise<void> {
  if (!rows.length) return;
  const col = <K extends keyof Omit<TouchRow, 'created_at'>>(k: K) => rows.map((r) => r[k]);
  await sql`
    INSERT INTO touches (workspace_id, id, occurred_at, contact_id, company_id, campaign_id, user_id, type,
                         direction, channel, metadata)
    SELECT ${rows[0]!.workspace_id}, u.*
    FROM unnest(${col('id')}::text[], ${rows.map((r) => r.occurred_at.toISOString())}::timestamptz[],
                ${col('contact_id')}::text[], ${col('company_id')}::text[], ${col('campaign_id')}::text[],
                ${col('user_id')}::text[], ${col('type')}::text[], ${col('direction')}::text[], ${col('channel')}::text[],
                ${rows.map((r) => JSON.stringify(r.metadata))}::jsonb[]) AS u`.execute(trx);
}

export interface ContactTouchAggregate {
  contactId: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  /** Source of the earliest touch in this batch; applied only if the contact has no source yet. */
  source: {
    channel: string | null;
    campaignId: string | null;
    utmSource: string | null;
    utmMedium: string | null;
    utmCampaign: string | null;
    referrer: string | null;
  };
}

/**
 * Keeps each contact's touch count, first/last touch time and first-touch source in step with the
 * touches just inserted: one statement for the whole batch. The source is set once (source_set_at)
 * and never overwritten by later touches.
 */
export async function applyContactAggregates(
  trx: Transaction<Database>,
  workspaceId: string,
  aggs: ContactTouchAggregate[],
  now: Date,
): Promise<void> {
  if (!aggs.length) return;
  const src = <K extends keyof ContactTouchAggregate['source']>(k: K) => aggs.map((a) => a.source[k]);
  await sql`
    UPDATE contacts AS c SET
      touch_count = c.touch_count + v.n,
      first_touch_at = LEAST(c.first_touch_at, v.first_at),
      last_touch_at = GREATEST(c.last_touch_at, v.last_at),
      source_channel = CASE WHEN c.source_set_at IS NULL THEN v.channel ELSE c.source_channel END,
      source_campaign_id = CASE WHEN c.source_set_at IS NULL THEN v.campaign ELSE c.source_campaign_id END,
      source_utm_source = CASE WHEN c.source_set_at IS NULL THEN v.utm_source ELSE c.source_utm_source END,
      source_utm_medium = CASE WHEN c.source_set_at IS NULL THEN v.utm_medium ELSE c.source_utm_medium END,
      source_utm_campaign = CASE WHEN c.source_set_at IS NULL THEN v.utm_campaign ELSE c.source_utm_campaign END,
      source_referrer = CASE WHEN c.source_set_at IS NULL THEN v.referrer ELSE c.source_referrer END,
      source_set_at = COALESCE(c.source_set_at, ${now}::timestamptz)
    FROM unnest(${aggs.map((a) => a.contactId)}::text[], ${aggs.map((a) => a.count)}::int[],
                ${aggs.map((a) => a.firstAt.toISOString())}::timestamptz[],
                ${aggs.map((a) => a.lastAt.toISOString())}::timestamptz[], ${src('channel')}::text[],
                ${src('campaignId')}::text[], ${src('utmSource')}::text[], ${src('utmMedium')}::text[],
                ${src('utmCampaign')}::text[], ${src('referrer')}::text[])
      AS v(id, n, first_at, last_at, channel, campaign, utm_source, utm_medium, utm_campaign, referrer)
    WHERE c.workspace_id = ${workspaceId} AND c.id = v.id`.execute(trx);
}

export async function findTouches(db: Db, workspaceId: string, ids: string[]): Promise<TouchRow[]> {
  if (!ids.length) return [];
  const res = await sql<TouchRow>`
    SELECT * FROM touches WHERE workspace_id = ${workspaceId} AND id IN (${sql.join(ids)})`.execute(db);
  return res.rows;
}

export interface TimelineRow {
  kind: 'touch' | 'change';
  at: Date;
  id: string;
  touch_contact_id: string | null;
  company_id: string | null;
  campaign_id: string | null;
  user_id: string | null;
  type: string | null;
  direction: 'marketing' | 'sales' | null;
  channel: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date | null;
  action: string | null;
  actor_label: string | null;
  entity_type: string | null;
  entity_id: string | null;
  diff: Record<string, unknown> | null;
}

export interface TimelineFilter {
  subject: { kind: 'contact'; id: string } | { kind: 'company'; id: string };
  includeTouches: boolean;
  includeChanges: boolean;
  type?: string | undefined;
  direction?: string | undefined;
  before?: { at: Date; id: string } | undefined;
  limit: number;
}

/** One newest-first stream of a record's touches and audit-logged changes, keyset-paginated on (at, id). */
export async function timeline(db: Db, workspaceId: string, f: TimelineFilter): Promise<TimelineRow[]> {
  const parts = [];
  const before = f.before;
  if (f.includeTouches) {
    const subject =
      f.subject.kind === 'contact'
        ? sql`t.contact_id = ${f.subject.id}`
        : sql`t.company_id = ${f.subject.id}`;
    parts.push(sql`
      (SELECT 'touch' AS kind, t.occurred_at AS at, t.id, t.contact_id AS touch_contact_id, t.company_id,
              t.campaign_id, t.user_id, t.type, t.direction, t.channel, t.metadata, t.created_at,
              NULL::text AS action, NULL::text AS actor_label, NULL::text AS entity_type, NULL::text AS entity_id,
              NULL::jsonb AS diff
       FROM touches t
       WHERE t.workspace_id = ${workspaceId} AND ${subject}
         ${f.type ? sql`AND t.type = ${f.type}` : sql``}
         ${f.direction ? sql`AND t.direction = ${f.direction}` : sql``}
         ${before ? sql`AND (t.occurred_at, t.id) < (${before.at}::timestamptz, ${before.id})` : sql``}
       ORDER BY t.occurred_at DESC, t.id DESC
       LIMIT ${f.limit})`);
  }
  if (f.includeChanges) {
    parts.push(sql`
      (SELECT 'change' AS kind, a.at, a.id, NULL::text AS touch_contact_id, NULL::text AS company_id,
              NULL::text AS campaign_id, NULL::text AS user_id, NULL::text AS type, NULL::text AS direction,
              NULL::text AS channel, NULL::jsonb AS metadata, NULL::timestamptz AS created_at, a.action,
              a.actor_label, a.entity_type, a.entity_id, a.diff
       FROM audit_log a
       WHERE a.workspace_id = ${workspaceId} AND a.entity_type = ${f.subject.kind} AND a.entity_id = ${f.subject.id}
         ${before ? sql`AND (a.at, a.id) < (${before.at}::timestamptz, ${before.id})` : sql``}
       ORDER BY a.at DESC, a.id DESC
       LIMIT ${f.limit})`);
  }
  if (!parts.length) return [];
  const res = await sql<TimelineRow>`
    SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) AS u
    ORDER BY at DESC, id DESC
    LIMIT ${f.limit}`.execute(db);
  return res.rows;
}
