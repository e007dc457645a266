import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { ImportOptions, MergeCounts } from './capture.repo.ts';

/**
 * SQL of a deals import: linking staged rows to their contacts, classifying them (duplicates inside
 * the file, deals already stored under the same external id) into the `imp` temp table, and
 * writing deals, their contact links and stage history set-based from it.
 */
type Trx = Transaction<Database>;
type Sql = RawBuilder<unknown>;

async function affected(trx: Trx, query: Sql): Promise<number> {
  const res = await query.execute(trx);
  return Number(res.numAffectedRows ?? 0n);
}

const NO_EMAIL = (ws: string) => sql`NOT EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = ${ws}
  AND c.deleted_at IS NULL AND lower(c.email) = s.data->>'contactEmail')`;
const NO_EXTERNAL = (ws: string) => sql`NOT EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = ${ws}
  AND c.deleted_at IS NULL AND c.external_id = s.data->>'contactExternalId')`;

/**
 * Moves staged rows whose contact does not exist to the rejected rows, and keeps the import's
 * counts in step, in one statement plus one update: run again, it finds nothing left to move.
 */
export async function rejectUnlinked(trx: Trx, ws: string, importId: string): Promise<number> {
  const moved = await affected(
    trx,
    sql`
    WITH gone AS (
      DELETE FROM import_staging s
      WHERE s.workspace_id = ${ws} AND s.import_id = ${importId}
        AND (s.data->>'contactEmail' IS NULL OR ${NO_EMAIL(ws)})
        AND (s.data->>'contactExternalId' IS NULL OR ${NO_EXTERNAL(ws)})
      RETURNING s.row_number, s.data
    )
    INSERT INTO import_rejects (workspace_id, import_id, row_number, reason, cells)
    SELECT ${ws}, ${importId}, row_number,
           CASE WHEN data->>'contactEmail' IS NOT NULL AND data->>'contactExternalId' IS NOT NULL
                  THEN 'contact.email, contact.external_id: no contact with e-mail ' || (data->>'contactEmail')
                       || ' or external id ' || (data->>'contactExternalId')
                WHEN data->>'contactEmail' IS NOT NULL
                  THEN 'contact.email: no contact with e-mail ' || (data->>'contactEmail')
                ELSE 'contact.external_id: no contact with external id ' || (data->>'contactExternalId') END,
           COALESCE(data->'_cells', '[]'::jsonb)
    FROM gone`,
  );
  if (moved)
    await sql`UPDATE imports SET rejected = rejected + ${moved}, rows_valid = rows_valid - ${moved}
              WHERE workspace_id = ${ws} AND id = ${importId}`.execute(trx);
  return moved;
}

/** The close times of the staged closed deals (their touches need monthly partitions). */
export async function closedTimes(db: Kysely<Database>, ws: string, importId: string): Promise<string[]> {
  const res = await sql<{ m: string }>`
    SELECT DISTINCT to_char(date_trunc('month', COALESCE(data->>'wonAt', data->>'lostAt')::timestamptz AT TIME ZONE 'UTC'),
                           'YYYY-MM-DD"T"00:00:00"Z"') AS m
    FROM import_staging WHERE workspace_id = ${ws} AND import_id = ${importId}
      AND COALESCE(data->>'wonAt', data->>'lostAt') IS NOT NULL`.execute(db);
  return res.rows.map((r) => r.m);
}

const DUPLICATE = sql`COALESCE(first_a, row_number) <> row_number`;
const LIVE = sql`NOT ${DUPLICATE} AND contact_id IS NOT NULL`;

export async function mergeDeals(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  actorId: string | null,
  now: Date,
): Promise<MergeCounts> {
  await sql`DROP TABLE IF EXISTS imp`.execute(trx);
  // A deal's key is its external id; Tandem's own export writes the deal id there for deals that
  // came without one, so an export imported back into the same workspace matches them too.
  await sql`
    CREATE TEMP TABLE imp ON COMMIT DROP AS
    WITH s AS (
      SELECT row_number, data, data->>'externalId' AS ext_key
      FROM import_staging WHERE workspace_id = ${ws} AND import_id = ${importId}
    )
    SELECT s.row_number, s.data,
           CASE WHEN ext_key IS NOT NULL THEN min(row_number) OVER (PARTITION BY ext_key) END AS first_a,
           c.id AS contact_id, c.company_id, c.team_id, c.source_campaign_id, c.email AS contact_email,
           c.external_id AS contact_external_id, ex.id AS existing_id
    FROM s
    LEFT JOIN LATERAL (
      SELECT id, company_id, team_id, source_campaign_id, email, external_id FROM contacts c
      WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL
        AND (lower(c.email) = s.data->>'contactEmail' OR c.external_id = s.data->>'contactExternalId')
      ORDER BY (lower(c.email) = s.data->>'contactEmail') DESC NULLS LAST, c.id LIMIT 1
    ) c ON true
    LEFT JOIN LATERAL (
      SELECT d.id FROM deals d
      WHERE d.workspace_id = ${ws} AND d.deleted_at IS NULL AND s.ext_key IS NOT NULL
        AND (d.external_id = s.ext_key OR d.id = s.ext_key)
      LIMIT 1
    ) ex ON true`.execute(trx);
  await sql`ANALYZE imp`.execute(trx);

  const reject = (reason: Sql, where: Sql) =>
    affected(
      trx,
      sql`INSERT INTO import_rejects (workspace_id, import_id, row_number, reason, cells)
          SELECT ${ws}, ${importId}, row_number, ${reason}, COALESCE(data->'_cells', '[]'::jsonb) FROM imp
          WHERE ${where} ON CONFLICT DO NOTHING`,
    );
  let rejected = await reject(
    sql`'externalId: duplicate of row ' || first_a || ' in this file (same external id)'`,
    DUPLICATE,
  );
  // The contact was deleted between the link check and the merge.
  rejected += await reject(sql`'contact: no longer exists'`, sql`NOT ${DUPLICATE} AND contact_id IS NULL`);
  const matched = sql`${LIVE} AND existing_id IS NOT NULL`;
  let skipped = 0;
  if (o.dedupe === 'create')
    rejected += await reject(sql`'externalId: already exists as deal ' || existing_id`, matched);
  else {
    const res = await sql<{ n: number }>`SELECT count(*)::int AS n FROM imp WHERE ${matched}`.execute(trx);
    skipped = res.rows[0]!.n;
  }
  const fresh = sql`${LIVE} AND existing_id IS NULL`;
  const candidates = await sql<{ n: number }>`SELECT count(*)::int AS n FROM imp WHERE ${fresh}`.execute(trx);
  const inserted = await affected(
    trx,
    sql`
    INSERT INTO deals (workspace_id, id, pipeline_id, stage_id, name, contact_id, company_id, owner_id, team_id,
                       amount_minor, currency, expected_close_on, source_campaign_id, lost_reason, lost_note, won_at,
                       lost_at, stage_changed_at, external_id, custom, created_by, created_at, updated_at)
    SELECT ${ws}, d->>'id', d->>'pipelineId', d->>'stageId',
           COALESCE(d->>'name', 'Deal ' || COALESCE(d->>'externalId', imp.contact_external_id, imp.contact_email, imp.contact_id)),
           imp.contact_id, imp.company_id, d->>'ownerId', imp.team_id, (d->>'amountMinor')::bigint, d->>'currency',
           (d->>'expectedCloseOn')::date, COALESCE(${o.campaignId ?? null}::text, imp.source_campaign_id),
           d->>'lostReason', d->>'lostNote', (d->>'wonAt')::timestamptz, (d->>'lostAt')::timestamptz,
           (d->>'stageChangedAt')::timestamptz, d->>'externalId', COALESCE(d->'custom', '{}'::jsonb), ${actorId},
           (d->>'createdAt')::timestamptz, ${now}::timestamptz
    FROM imp CROSS JOIN LATERAL (SELECT imp.data AS d) x
    WHERE ${fresh}
    ON CONFLICT DO NOTHING`,
  );
  // Links and history for the deals this merge wrote (a deal another writer created meanwhile
  // under the same external id was skipped above by ON CONFLICT and has a different id).
  await sql`
    INSERT INTO deal_contacts (workspace_id, deal_id, contact_id, is_primary, created_at)
    SELECT ${ws}, dl.id, dl.contact_id, true, ${now}::timestamptz
    FROM imp JOIN deals dl ON dl.workspace_id = ${ws} AND dl.id = imp.data->>'id'`.execute(trx);
  await sql`
    INSERT INTO deal_stage_history (workspace_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, at, actor_id,
                                    reason)
    SELECT ${ws}, imp.data->>'historyId', dl.id, dl.pipeline_id, NULL, dl.stage_id, dl.stage_changed_at, ${actorId},
           'import'
    FROM imp JOIN deals dl ON dl.workspace_id = ${ws} AND dl.id = imp.data->>'id'`.execute(trx);
  return {
    inserted,
    updated: 0,
    skipped: skipped + (candidates.rows[0]!.n - inserted),
    rejected,
  };
}

export interface ClosedDeal {
  id: string;
  name: string;
  kind: 'won' | 'lost';
  contact_id: string;
  company_id: string | null;
  owner_id: string | null;
  amount_minor: string | null;
  currency: string;
  lost_reason: string | null;
  closed_at: Date;
  touch_id: string;
}

/** One page (by deal id) of the closed deals the merge just wrote, for their touches. */
export async function closedDealsPage(trx: Trx, ws: string, after: string, limit: number) {
  const res = await sql<ClosedDeal>`
    SELECT dl.id, dl.name, imp.data->>'stageKind' AS kind, dl.contact_id, dl.company_id, dl.owner_id,
           dl.amount_minor::text AS amount_minor, dl.currency, dl.lost_reason,
           COALESCE(dl.won_at, dl.lost_at) AS closed_at, imp.data->>'touchId' AS touch_id
    FROM imp JOIN deals dl ON dl.workspace_id = ${ws} AND dl.id = imp.data->>'id'
    WHERE imp.data->>'stageKind' IN ('won', 'lost') AND dl.id > ${after}
    ORDER BY dl.id LIMIT ${limit}`.execute(trx);
  return res.rows;
}

/** Of these contact keys, the ones no live contact has (the preview flags those rows). */
export async function knownContactKeys(
  db: Kysely<Database>,
  ws: string,
  emails: string[],
  externalIds: string[],
): Promise<{ emails: Set<string>; externalIds: Set<string> }> {
  const found = { emails: new Set<string>(), externalIds: new Set<string>() };
  if (emails.length) {
    const res = await sql<{ k: string }>`SELECT lower(email) AS k FROM contacts WHERE workspace_id = ${ws}
      AND deleted_at IS NULL AND lower(email) IN (${sql.join(emails)})`.execute(db);
    for (const r of res.rows) found.emails.add(r.k);
  }
  if (externalIds.length) {
    const res = await sql<{ k: string }>`SELECT external_id AS k FROM contacts WHERE workspace_id = ${ws}
      AND deleted_at IS NULL AND external_id IN (${sql.join(externalIds)})`.execute(db);
    for (const r of res.rows) found.externalIds.add(r.k);
  }
  return found;
}
