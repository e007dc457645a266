import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { ImportOptions, MergeCounts } from './capture.repo.ts';

/**
 * Merges an import's staged rows into the target table in the caller's transaction: within-file
 * duplicates and policy conflicts become rejects with a reason, existing records are skipped,
 * updated or refused by the dedupe policy, and the rest are inserted. Set-based SQL, no row loops.
 */
type Trx = Transaction<Database>;

async function count(trx: Trx, query: ReturnType<typeof sql>): Promise<number> {
  const res = await query.execute(trx);
  return Number(res.numAffectedRows ?? 0n);
}

/** Copies the staged rows into a temp table the merge can add columns to and delete from. */
async function loadImp(trx: Trx, ws: string, importId: string, keys: ReturnType<typeof sql>): Promise<void> {
  await sql`DROP TABLE IF EXISTS imp`.execute(trx);
  await sql`
    CREATE TEMP TABLE imp ON COMMIT DROP AS
    SELECT s.row_number, s.data, ${keys}, NULL::text AS existing_id, NULL::text AS company_id
    FROM import_staging s WHERE s.workspace_id = ${ws} AND s.import_id = ${importId}`.execute(trx);
  await sql`CREATE INDEX ON imp (row_number)`.execute(trx);
  // Temp tables have no statistics until analysed; without them the planner guesses badly.
  await sql`ANALYZE imp`.execute(trx);
}

async function rejectWhere(
  trx: Trx,
  ws: string,
  importId: string,
  reason: ReturnType<typeof sql>,
  where: ReturnType<typeof sql>,
) {
  const n = await count(
    trx,
    sql`INSERT INTO import_rejects (workspace_id, import_id, row_number, reason, cells)
        SELECT ${ws}, ${importId}, row_number, ${reason}, COALESCE(data->'_cells', '[]'::jsonb) FROM imp WHERE ${where}
        ON CONFLICT DO NOTHING`,
  );
  await sql`DELETE FROM imp WHERE ${where}`.execute(trx);
  return n;
}

/** Rows repeating an earlier row's key inside the file: the first one wins, the others are rejected. */
async function rejectInFileDuplicates(trx: Trx, ws: string, importId: string, key: string, label: string) {
  await sql`ALTER TABLE imp ADD COLUMN IF NOT EXISTS first_row integer`.execute(trx);
  await sql`UPDATE imp SET first_row = NULL`.execute(trx);
  await sql`
    UPDATE imp SET first_row = f.first_row
    FROM (SELECT ${sql.ref(key)} AS k, min(row_number) AS first_row FROM imp WHERE ${sql.ref(key)} IS NOT NULL
          GROUP BY ${sql.ref(key)} HAVING count(*) > 1) f
    WHERE imp.${sql.ref(key)} = f.k AND imp.row_number <> f.first_row`.execute(trx);
  return rejectWhere(
    trx,
    ws,
    importId,
    sql`'duplicate of row ' || first_row || ' in this file (same ' || ${label} || ')'`,
    sql`first_row IS NOT NULL`,
  );
}

export async function mergeContacts(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await loadImp(
    trx,
    ws,
    importId,
    sql`lower(s.data->>'email') AS email_key, s.data->>'externalId' AS ext_key`,
  );
  let rejected = await rejectInFileDuplicates(trx, ws, importId, 'email_key', 'e-mail');
  rejected += await rejectInFileDuplicates(trx, ws, importId, 'ext_key', 'external id');

  await sql`
    UPDATE imp SET existing_id = c.id FROM contacts c
    WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL AND imp.email_key IS NOT NULL
      AND lower(c.email) = imp.email_key`.execute(trx);
  await sql`
    UPDATE imp SET existing_id = c.id FROM contacts c
    WHERE imp.existing_id IS NULL AND c.workspace_id = ${ws} AND c.deleted_at IS NULL AND imp.ext_key IS NOT NULL
      AND c.external_id = imp.ext_key`.execute(trx);

  let skipped = 0;
  let updated = 0;
  if (o.dedupe === 'skip') {
    skipped = await count(trx, sql`DELETE FROM imp WHERE existing_id IS NOT NULL`);
  } else if (o.dedupe === 'create') {
    rejected += await rejectWhere(
      trx,
      ws,
      importId,
      sql`'already exists as contact ' || existing_id`,
      sql`existing_id IS NOT NULL`,
    );
  }

  await resolveCompanies(trx, ws);

  const tags = o.tags;
  if (o.dedupe === 'update') {
    // Blank cells never erase: only the values the file carries are written.
    updated = await count(
      trx,
      sql`
      UPDATE contacts c SET
        email = COALESCE(imp.data->>'email', c.email),
        external_id = COALESCE(imp.data->>'externalId', c.external_id),
        first_name = COALESCE(imp.data->>'firstName', c.first_name),
        last_name = COALESCE(imp.data->>'lastName', c.last_name),
        phone = COALESCE(imp.data->>'phone', c.phone),
        title = COALESCE(imp.data->>'title', c.title),
        company_id = COALESCE(imp.company_id, c.company_id),
        company_name = COALESCE((SELECT co.name FROM companies co WHERE co.workspace_id = ${ws} AND co.id = imp.company_id),
                                c.company_name),
        owner_id = COALESCE(imp.data->>'ownerId', c.owner_id),
        country = COALESCE(imp.data->>'country', c.country),
        language = COALESCE(imp.data->>'language', c.language),
        tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || COALESCE(ARRAY(SELECT jsonb_array_elements_text(imp.data->'tags')), '{}') || ${tags}::text[]) t),
        custom = c.custom || COALESCE(imp.data->'custom', '{}'::jsonb),
        updated_at = ${now}::timestamptz
      FROM imp
      WHERE imp.existing_id IS NOT NULL AND c.workspace_id = ${ws} AND c.id = imp.existing_id`,
    );
    await sql`DELETE FROM imp WHERE existing_id IS NOT NULL`.execute(trx);
  }

  const inserted = await count(
    trx,
    sql`
    INSERT INTO contacts (workspace_id, id, email, external_id, first_name, last_name, phone, title, company_id,
                          company_name, owner_id, country, language, tags, custom, source_channel, source_utm_source,
                          source_utm_medium, source_utm_campaign, source_referrer, source_set_at, first_touch_at,
                          created_at, updated_at)
    SELECT ${ws}, d->>'id', d->>'email', d->>'externalId', d->>'firstName', d->>'lastName', d->>'phone', d->>'title',
           imp.company_id, co.name, d->>'ownerId', d->>'country', d->>'language',
           ARRAY(SELECT DISTINCT t FROM unnest(COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'tags')), '{}') || ${tags}::text[]) t),
           COALESCE(d->'custom', '{}'::jsonb), d->>'source', d->>'utmSource', d->>'utmMedium', d->>'utmCampaign',
           d->>'referrer',
           CASE WHEN COALESCE(d->>'source', d->>'utmSource', d->>'utmMedium', d->>'utmCampaign', d->>'referrer') IS NOT NULL
                THEN ${now}::timestamptz END,
           (d->>'firstTouchAt')::timestamptz,
           COALESCE((d->>'createdAt')::timestamptz, ${now}::timestamptz), ${now}::timestamptz
    FROM imp
    CROSS JOIN LATERAL (SELECT imp.data AS d) x
    LEFT JOIN companies co ON co.workspace_id = ${ws} AND co.id = imp.company_id
    ORDER BY imp.row_number
    ON CONFLICT DO NOTHING`,
  );
  const raced =
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM imp`.execute(trx)).rows[0]!.n - inserted;
  return { inserted, updated, skipped: skipped + Math.max(0, raced), rejected };
}

/**
 * Links rows to companies named by domain or name: an existing live company (domain first, then
 * case-insensitive name), or a new one created once per distinct domain/name.
 */
async function resolveCompanies(trx: Trx, ws: string): Promise<void> {
  await sql`
    UPDATE imp SET company_id = c.id FROM companies c
    WHERE imp.data->>'companyDomain' IS NOT NULL AND c.workspace_id = ${ws} AND c.deleted_at IS NULL
      AND lower(c.domain) = imp.data->>'companyDomain'`.execute(trx);
  await sql`
    UPDATE imp SET company_id = m.id
    FROM (SELECT DISTINCT ON (lower(name)) lower(name) AS lname, id FROM companies
          WHERE workspace_id = ${ws} AND deleted_at IS NULL ORDER BY lower(name), created_at) m
    WHERE imp.company_id IS NULL AND imp.data->>'companyName' IS NOT NULL
      AND m.lname = lower(imp.data->>'companyName')`.execute(trx);
  await sql`
    INSERT INTO companies (workspace_id, id, name, domain)
    SELECT DISTINCT ON (COALESCE(data->>'companyDomain', lower(data->>'companyName')))
           ${ws}, data->>'companyId', COALESCE(data->>'companyName', data->>'companyDomain'), data->>'companyDomain'
    FROM imp
    WHERE company_id IS NULL AND (data->>'companyName' IS NOT NULL OR data->>'companyDomain' IS NOT NULL)
    ORDER BY COALESCE(data->>'companyDomain', lower(data->>'companyName')), row_number
    ON CONFLICT DO NOTHING`.execute(trx);
  // Two equi-joins rather than one OR-join: an OR makes the planner loop over every pair of rows.
  await sql`
    UPDATE imp SET company_id = c.id FROM companies c
    WHERE imp.company_id IS NULL AND imp.data->>'companyDomain' IS NOT NULL AND c.workspace_id = ${ws}
      AND c.deleted_at IS NULL AND lower(c.domain) = imp.data->>'companyDomain'`.execute(trx);
  await sql`
    UPDATE imp SET company_id = m.id
    FROM (SELECT DISTINCT ON (lower(name)) lower(name) AS lname, id FROM companies
          WHERE workspace_id = ${ws} AND deleted_at IS NULL ORDER BY lower(name), created_at) m
    WHERE imp.company_id IS NULL AND imp.data->>'companyDomain' IS NULL AND imp.data->>'companyName' IS NOT NULL
      AND m.lname = lower(imp.data->>'companyName')`.execute(trx);
}

export async function mergeCompanies(
  trx: Trx,
  ws: string,
  importId: string,
  o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await loadImp(trx, ws, importId, sql`lower(s.data->>'domain') AS domain_key`);
  let rejected = await rejectInFileDuplicates(trx, ws, importId, 'domain_key', 'domain');
  await sql`
    UPDATE imp SET existing_id = c.id FROM companies c
    WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL AND imp.domain_key IS NOT NULL
      AND lower(c.domain) = imp.domain_key`.execute(trx);
  let skipped = 0;
  let updated = 0;
  if (o.dedupe === 'skip') skipped = await count(trx, sql`DELETE FROM imp WHERE existing_id IS NOT NULL`);
  if (o.dedupe === 'create') {
    rejected += await rejectWhere(
      trx,
      ws,
      importId,
      sql`'already exists as company ' || existing_id`,
      sql`existing_id IS NOT NULL`,
    );
  }
  const tags = o.tags;
  if (o.dedupe === 'update') {
    updated = await count(
      trx,
      sql`
      UPDATE companies c SET
        name = COALESCE(imp.data->>'name', c.name),
        website = COALESCE(imp.data->>'website', c.website),
        industry = COALESCE(imp.data->>'industry', c.industry),
        employees = COALESCE((imp.data->>'employees')::int, c.employees),
        country = COALESCE(imp.data->>'country', c.country),
        phone = COALESCE(imp.data->>'phone', c.phone),
        owner_id = COALESCE(imp.data->>'ownerId', c.owner_id),
        tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || COALESCE(ARRAY(SELECT jsonb_array_elements_text(imp.data->'tags')), '{}') || ${tags}::text[]) t),
        custom = c.custom || COALESCE(imp.data->'custom', '{}'::jsonb),
        updated_at = ${now}::timestamptz
      FROM imp WHERE imp.existing_id IS NOT NULL AND c.workspace_id = ${ws} AND c.id = imp.existing_id`,
    );
    await sql`DELETE FROM imp WHERE existing_id IS NOT NULL`.execute(trx);
  }
  const inserted = await count(
    trx,
    sql`
    INSERT INTO companies (workspace_id, id, name, domain, website, industry, employees, country, phone, owner_id,
                           tags, custom, created_at, updated_at)
    SELECT ${ws}, d->>'id', d->>'name', d->>'domain', d->>'website', d->>'industry', (d->>'employees')::int,
           d->>'country', d->>'phone', d->>'ownerId',
           ARRAY(SELECT DISTINCT t FROM unnest(COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'tags')), '{}') || ${tags}::text[]) t),
           COALESCE(d->'custom', '{}'::jsonb), COALESCE((d->>'createdAt')::timestamptz, ${now}::timestamptz),
           ${now}::timestamptz
    FROM imp, LATERAL (SELECT imp.data AS d) x
    ORDER BY imp.row_number
    ON CONFLICT DO NOTHING`,
  );
  const raced =
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM imp`.execute(trx)).rows[0]!.n - inserted;
  return { inserted, updated, skipped: skipped + Math.max(0, raced), rejected };
}

export async function mergeTouches(
  trx: Trx,
  ws: string,
  importId: string,
  _o: ImportOptions,
  now: Date,
): Promise<MergeCounts> {
  await loadImp(trx, ws, importId, sql`NULL::text AS contact_id`);
  await sql`
    UPDATE imp SET contact_id = c.id FROM contacts c
    WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL AND imp.data->>'contactEmail' IS NOT NULL
      AND lower(c.email) = imp.data->>'contactEmail'`.execute(trx);
  await sql`
    UPDATE imp SET contact_id = c.id FROM contacts c
    WHERE imp.contact_id IS NULL AND c.workspace_id = ${ws} AND c.deleted_at IS NULL
      AND imp.data->>'contactExternalId' IS NOT NULL AND c.external_id = imp.data->>'contactExternalId'`.execute(
    trx,
  );
  const rejected = await rejectWhere(
    trx,
    ws,
    importId,
    sql`'no contact with this ' || CASE WHEN data->>'contactEmail' IS NOT NULL THEN 'e-mail' ELSE 'external id' END`,
    sql`contact_id IS NULL`,
  );
  const months = await sql<{ m: string }>`
    SELECT DISTINCT to_char(date_trunc('month', (data->>'occurredAt')::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS m
    FROM imp`.execute(trx);
  for (const { m } of months.rows) await sql`SELECT tandem_ensure_touch_partition(${m}::date)`.execute(trx);
  const inserted = await count(
    trx,
    sql`
    INSERT INTO touches (workspace_id, id, occurred_at, contact_id, company_id, campaign_id, type, direction, channel,
                         metadata)
    SELECT ${ws}, d->>'id', (d->>'occurredAt')::timestamptz, imp.contact_id, c.company_id, d->>'campaignId',
           d->>'type', d->>'direction', d->>'channel',
           jsonb_strip_nulls(jsonb_build_object('subject', d->>'subject', 'importId', ${importId}::text))
    FROM imp JOIN contacts c ON c.workspace_id = ${ws} AND c.id = imp.contact_id,
         LATERAL (SELECT imp.data AS d) x
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
             data->>'campaignId' AS campaign
      FROM imp
      WINDOW w AS (PARTITION BY contact_id)
      ORDER BY contact_id, (data->>'occurredAt')::timestamptz
    ) a
    WHERE c.workspace_id = ${ws} AND c.id = a.contact_id`.execute(trx);
  return { inserted, updated: 0, skipped: 0, rejected };
}
