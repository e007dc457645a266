import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { ImportOptions, MergeCounts } from './capture.repo.ts';

/**
 * Merges an import's staged rows into the target table in the caller's transaction. One statement
 * classifies every row (duplicate inside the file, matches an existing record, company to link or
 * create) into a temp table; the inserts and updates then read it. No row loops, and no UPDATE of
 * the temp table: at a million rows each rewrite of it costs more than the insert itself.
 */
type Trx = Transaction<Database>;
type Sql = RawBuilder<unknown>;

async function affected(trx: Trx, query: Sql): Promise<number> {
  const res = await query.execute(trx);
  return Number(res.numAffectedRows ?? 0n);
}

async function countWhere(trx: Trx, where: Sql): Promise<number> {
  const res = await sql<{ n: number }>`SELECT count(*)::int AS n FROM imp WHERE ${where}`.execute(trx);
  return res.rows[0]!.n;
}

async function createImp(trx: Trx, select: Sql): Promise<void> {
  await sql`DROP TABLE IF EXISTS imp`.execute(trx);
  await sql`CREATE TEMP TABLE imp ON COMMIT DROP AS ${select}`.execute(trx);
  // Temp tables have no statistics until analysed; without them the planner guesses badly.
  await sql`ANALYZE imp`.execute(trx);
}

async function reject(trx: Trx, ws: string, importId: string, reason: Sql, where: Sql): Promise<number> {
  return affected(
    trx,
    sql`INSERT INTO import_rejects (workspace_id, import_id, row_number, reason, cells)
        SELECT ${ws}, ${importId}, row_number, ${reason}, COALESCE(data->'_cells', '[]'::jsonb) FROM imp WHERE ${where}
        ON CONFLICT DO NOTHING`,
  );
}

/** A row repeating an earlier row's key inside the file: the first one wins. */
const DUPLICATE = sql`(COALESCE(first_a, row_number) <> row_number OR COALESCE(first_b, row_number) <> row_number)`;
const LIVE = sql`NOT ${DUPLICATE}`;

function duplicateReason(labelA: string, labelB: string): Sql {
  return sql`CASE WHEN COALESCE(first_a, row_number) <> row_number
    THEN 'duplicate of row ' || first_a || ' in this file (same ' || ${labelA}::text || ')'
    ELSE 'duplicate of row ' || first_b || ' in this file (same ' || ${labelB}::text || ')' END`;
}

/** Tags of the row plus the import's own tags, without repeats. */
function tagsOf(d: Sql, extra: string[]): Sql {
  const row = sql`COALESCE(ARRAY(SELECT jsonb_array_elements_text(${d}->'tags')), '{}'::text[])`;
  return extra.length ? sql`ARRAY(SELECT DISTINCT t FROM unnest(${row} || ${extra}::text[]) t)` : row;
}

export async function mergeContacts(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await createImp(
    trx,
    sql`
    WITH s AS (
      SELECT row_number, data, lower(data->>'email') AS email_key, data->>'externalId' AS ext_key,
             data->>'companyDomain' AS cdom, lower(data->>'companyName') AS cname
      FROM import_staging WHERE workspace_id = ${ws} AND import_id = ${importId}
    ), w AS (
      SELECT s.*,
        CASE WHEN email_key IS NOT NULL THEN min(row_number) OVER (PARTITION BY email_key) END AS first_a,
        CASE WHEN ext_key IS NOT NULL THEN min(row_number) OVER (PARTITION BY ext_key) END AS first_b,
        CASE WHEN cdom IS NOT NULL OR cname IS NOT NULL
             THEN first_value(data->>'companyId') OVER (PARTITION BY COALESCE(cdom, cname) ORDER BY row_number) END
          AS new_company_id
      FROM s
    )
    SELECT w.row_number, w.data, w.first_a, w.first_b, COALESCE(ce.id, cx.id) AS existing_id,
           COALESCE(cod.id, con.id, w.new_company_id) AS company_id,
           (cod.id IS NULL AND con.id IS NULL AND w.new_company_id IS NOT NULL) AS new_company
    FROM w
    LEFT JOIN contacts ce ON ce.workspace_id = ${ws} AND ce.deleted_at IS NULL AND w.email_key IS NOT NULL
      AND lower(ce.email) = w.email_key
    LEFT JOIN contacts cx ON cx.workspace_id = ${ws} AND cx.deleted_at IS NULL AND w.ext_key IS NOT NULL
      AND cx.external_id = w.ext_key
    LEFT JOIN companies cod ON cod.workspace_id = ${ws} AND cod.deleted_at IS NULL AND w.cdom IS NOT NULL
      AND lower(cod.domain) = w.cdom
    LEFT JOIN (SELECT DISTINCT ON (lower(name)) lower(name) AS lname, id FROM companies
               WHERE workspace_id = ${ws} AND deleted_at IS NULL ORDER BY lower(name), created_at) con
      ON w.cdom IS NULL AND con.lname = w.cname`,
  );
  let rejected = await reject(trx, ws, importId, duplicateReason('e-mail', 'external id'), DUPLICATE);
  const matched = sql`${LIVE} AND existing_id IS NOT NULL`;
  let skipped = 0;
  let updated = 0;
  if (o.dedupe === 'skip') skipped = await countWhere(trx, matched);
  if (o.dedupe === 'create')
    rejected += await reject(trx, ws, importId, sql`'already exists as contact ' || existing_id`, matched);

  // New companies: one per distinct domain (or name), for the rows that will be written.
  const writes = o.dedupe === 'update' ? LIVE : sql`${LIVE} AND existing_id IS NULL`;
  await sql`
    INSERT INTO companies (workspace_id, id, name, domain, created_at, updated_at)
    SELECT DISTINCT ON (company_id) ${ws}, company_id, COALESCE(data->>'companyName', data->>'companyDomain'),
           data->>'companyDomain', ${now}::timestamptz, ${now}::timestamptz
    FROM imp WHERE new_company AND ${writes}
    ORDER BY company_id, row_number`.execute(trx);

  if (o.dedupe === 'update') {
    // Blank cells never erase: only the values the file carries are written.
    updated = await affected(
      trx,
      sql`
      UPDATE contacts c SET
        email = COALESCE(d->>'email', c.email),
        external_id = COALESCE(d->>'externalId', c.external_id),
        first_name = COALESCE(d->>'firstName', c.first_name),
        last_name = COALESCE(d->>'lastName', c.last_name),
        phone = COALESCE(d->>'phone', c.phone),
        title = COALESCE(d->>'title', c.title),
        company_id = COALESCE(imp.company_id, c.company_id),
        company_name = COALESCE(co.name, c.company_name),
        owner_id = COALESCE(d->>'ownerId', c.owner_id),
        country = COALESCE(d->>'country', c.country),
        language = COALESCE(d->>'language', c.language),
        tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || ${tagsOf(sql`d`, o.tags)}) t),
        custom = c.custom || COALESCE(d->'custom', '{}'::jsonb),
        updated_at = ${now}::timestamptz
      FROM imp
      CROSS JOIN LATERAL (SELECT imp.data AS d) x
      LEFT JOIN companies co ON co.workspace_id = ${ws} AND co.id = imp.company_id
      WHERE ${matched} AND c.workspace_id = ${ws} AND c.id = imp.existing_id`,
    );
  }

  const candidates = await countWhere(trx, sql`${LIVE} AND existing_id IS NULL`);
  const inserted = await affected(
    trx,
    sql`
    INSERT INTO contacts (workspace_id, id, email, external_id, first_name, last_name, phone, title, company_id,
                          company_name, owner_id, country, language, tags, custom, source_channel, source_utm_source,
                          source_utm_medium, source_utm_campaign, source_referrer, source_set_at, first_touch_at,
                          created_at, updated_at)
    SELECT ${ws}, d->>'id', d->>'email', d->>'externalId', d->>'firstName', d->>'lastName', d->>'phone', d->>'title',
           imp.company_id, co.name, d->>'ownerId', d->>'country', d->>'language', ${tagsOf(sql`d`, o.tags)},
           COALESCE(d->'custom', '{}'::jsonb), d->>'source', d->>'utmSource', d->>'utmMedium', d->>'utmCampaign',
           d->>'referrer',
           CASE WHEN COALESCE(d->>'source', d->>'utmSource', d->>'utmMedium', d->>'utmCampaign', d->>'referrer') IS NOT NULL
                THEN ${now}::timestamptz END,
           (d->>'firstTouchAt')::timestamptz,
           COALESCE((d->>'createdAt')::timestamptz, ${now}::timestamptz), ${now}::timestamptz
    FROM imp
    CROSS JOIN LATERAL (SELECT imp.data AS d) x
    LEFT JOIN companies co ON co.workspace_id = ${ws} AND co.id = imp.company_id
    WHERE ${LIVE} AND imp.existing_id IS NULL
    ON CONFLICT DO NOTHING`,
  );
  // A row another writer created between classification and insert is skipped, not doubled.
  return { inserted, updated, skipped: skipped + (candidates - inserted), rejected };
}

/**
 * After mergeContacts, in its transaction: the ids of the contacts the file's rows are now (new or
 * matched, not rejected), ordered, one page after `after`. Reads the classification temp table.
 */
export async function importedContactIds(
  trx: Trx,
  ws: string,
  o: ImportOptions,
  after: string,
  limit: number,
): Promise<string[]> {
  const kept = o.dedupe === 'create' ? sql`${LIVE} AND existing_id IS NULL` : LIVE;
  const res = await sql<{ id: string }>`
    SELECT DISTINCT c.id FROM imp
    JOIN contacts c ON c.workspace_id = ${ws} AND c.id = COALESCE(imp.existing_id, imp.data->>'id')
      AND c.deleted_at IS NULL
    WHERE ${kept} AND c.id > ${after}
    ORDER BY c.id LIMIT ${limit}`.execute(trx);
  return res.rows.map((r) => r.id);
}

export async function mergeCompanies(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await createImp(
    trx,
    sql`
    WITH s AS (
      SELECT row_number, data, lower(data->>'domain') AS domain_key
      FROM import_staging WHERE workspace_id = ${ws} AND import_id = ${importId}
    )
    SELECT s.row_number, s.data,
           CASE WHEN domain_key IS NOT NULL THEN min(row_number) OVER (PARTITION BY domain_key) END AS first_a,
           NULL::integer AS first_b, c.id AS existing_id
    FROM s
    LEFT JOIN companies c ON c.workspace_id = ${ws} AND c.deleted_at IS NULL AND s.domain_key IS NOT NULL
      AND lower(c.domain) = s.domain_key`,
  );
  let rejected = await reject(trx, ws, importId, duplicateReason('domain', 'domain'), DUPLICATE);
  const matched = sql`${LIVE} AND existing_id IS NOT NULL`;
  let skipped = 0;
  let updated = 0;
  if (o.dedupe === 'skip') skipped = await countWhere(trx, matched);
  if (o.dedupe === 'create')
    rejected += await reject(trx, ws, importId, sql`'already exists as company ' || existing_id`, matched);
  if (o.dedupe === 'update') {
    updated = await affected(
      trx,
      sql`
      UPDATE companies c SET
        name = COALESCE(d->>'name', c.name),
        website = COALESCE(d->>'website', c.website),
        industry = COALESCE(d->>'industry', c.industry),
        employees = COALESCE((d->>'employees')::int, c.employees),
        country = COALESCE(d->>'country', c.country),
        phone = COALESCE(d->>'phone', c.phone),
        owner_id = COALESCE(d->>'ownerId', c.owner_id),
        tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || ${tagsOf(sql`d`, o.tags)}) t),
        custom = c.custom || COALESCE(d->'custom', '{}'::jsonb),
        updated_at = ${now}::timestamptz
      FROM imp CROSS JOIN LATERAL (SELECT imp.data AS d) x
      WHERE ${matched} AND c.workspace_id = ${ws} AND c.id = imp.existing_id`,
    );
  }
  const candidates = await countWhere(trx, sql`${LIVE} AND existing_id IS NULL`);
  const inserted = await affected(
    trx,
    sql`
    INSERT INTO companies (workspace_id, id, name, domain, website, industry, employees, country, phone, owner_id,
                           tags, custom, created_at, updated_at)
    SELECT ${ws}, d->>'id', d->>'name', d->>'domain', d->>'website', d->>'industry', (d->>'employees')::int,
           d->>'country', d->>'phone', d->>'ownerId', ${tagsOf(sql`d`, o.tags)},
           COALESCE(d->'custom', '{}'::jsonb), COALESCE((d->>'createdAt')::timestamptz, ${now}::timestamptz),
           ${now}::timestamptz
    FROM imp CROSS JOIN LATERAL (SELECT imp.data AS d) x
    WHERE ${LIVE} AND imp.existing_id IS NULL
    ON CONFLICT DO NOTHING`,
  );
  return { inserted, updated, skipped: skipped + (candidates - inserted), rejected };
}

export async function mergeTouches(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await createImp(
    trx,
    sql`
    SELECT s.row_number, s.data, NULL::integer AS first_a, NULL::integer AS first_b,
           COALESCE(ce.id, cx.id) AS contact_id, COALESCE(ce.company_id, cx.company_id) AS company_id
    FROM import_staging s
    LEFT JOIN contacts ce ON ce.workspace_id = ${ws} AND ce.deleted_at IS NULL AND s.data->>'contactEmail' IS NOT NULL
      AND lower(ce.email) = s.data->>'contactEmail'
    LEFT JOIN contacts cx ON cx.workspace_id = ${ws} AND cx.deleted_at IS NULL AND s.data->>'contactExternalId' IS NOT NULL
      AND cx.external_id = s.data->>'contactExternalId'
    WHERE s.workspace_id = ${ws} AND s.import_id = ${importId}`,
  );
  const rejected = await reject(
    trx,
    ws,
    importId,
    sql`'no contact with this ' || CASE WHEN data->>'contactEmail' IS NOT NULL THEN 'e-mail' ELSE 'external id' END`,
    sql`contact_id IS NULL`,
  );
  const months = await sql<{ m: string }>`
    SELECT DISTINCT to_char(date_trunc('month', (data->>'occurredAt')::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS m
    FROM imp WHERE contact_id IS NOT NULL`.execute(trx);
  for (const { m } of months.rows) await sql`SELECT tandem_ensure_touch_partition(${m}::date)`.execute(trx);
  const inserted = await affected(
    trx,
    sql`
    INSERT INTO touches (workspace_id, id, occurred_at, contact_id, company_id, campaign_id, type, direction, channel,
                         metadata)
    SELECT ${ws}, d->>'id', (d->>'occurredAt')::timestamptz, imp.contact_id, imp.company_id, COALESCE(d->>'campaignId', ${o.campaignId ?? null}),
           d->>'type', d->>'direction', d->>'channel',
           jsonb_strip_nulls(jsonb_build_object('subject', d->>'subject', 'importId', ${importId}::text))
    FROM imp CROSS JOIN LATERAL (SELECT imp.data AS d) x
    WHERE imp.contact_id IS NOT NULL
    ON CONFLICT DO NOTHING`,
  );
  // Keep each contact's touch aggregates and first-touch source in step, as live ingest does.
  await sql`
    UPDATE contacts c SET
      touch_count = c.touch_count + a.n,
      first_touch_at = LEAST(c.first_touch_at, a.first_at),
      last_touch_at = GREATEST(c.last_touch_at, a.last_at),
      source_channel = CASE WHEN c.source_set_at IS NULL THEN a.channel ELSE c.source_channel END,
      source_campaign_id = CASE WHEN c.source_set_at IS NULL THEN a.campaign ELSE c.source_campaign_id END,
      source_set_at = COALESCE(c.source_set_at, ${now}::timestamptz)
    FROM (
      SELECT DISTINCT ON (contact_id) contact_id,
             count(*) OVER w AS n, min((data->>'occurredAt')::timestamptz) OVER w AS first_at,
             max((data->>'occurredAt')::timestamptz) OVER w AS last_at, data->>'channel' AS channel,
             COALESCE(data->>'campaignId', ${o.campaignId ?? null}) AS campaign
      FROM imp WHERE contact_id IS NOT NULL
      WINDOW w AS (PARTITION BY contact_id)
      ORDER BY contact_id, (data->>'occurredAt')::timestamptz
    ) a
    WHERE c.workspace_id = ${ws} AND c.id = a.contact_id`.execute(trx);
  return { inserted, updated: 0, skipped: 0, rejected };
}
