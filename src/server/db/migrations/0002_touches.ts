import { type Kysely, sql } from 'kysely';

/**
 * The touch log (every contact with a prospect, by marketing or sales) and contact source fields.
 * `touches` is range-partitioned by month on occurred_at (in the key), on both engines: it is the
 * largest table. Partitions are created on demand by tandem_ensure_touch_partition() before inserts;
 * there is no default partition, because a default partition holding rows of a month blocks creating
 * that month's partition later.
 */
const statements = [
  `ALTER TABLE contacts
     ADD COLUMN external_id text,
     ADD COLUMN source_channel text,
     ADD COLUMN source_campaign_id text,
     ADD COLUMN source_utm_source text,
     ADD COLUMN source_utm_medium text,
     ADD COLUMN source_utm_campaign text,
     ADD COLUMN source_referrer text,
     ADD COLUMN source_set_at timestamptz,
     ADD COLUMN first_touch_at timestamptz,
     ADD COLUMN last_touch_at timestamptz,
     ADD COLUMN touch_count integer NOT NULL DEFAULT 0`,
  `CREATE UNIQUE INDEX contacts_external_id_uq ON contacts (workspace_id, external_id)
   WHERE external_id IS NOT NULL AND deleted_at IS NULL`,
  `CREATE TABLE touches (
    workspace_id text NOT NULL,
    id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    contact_id text NOT NULL,
    company_id text,
    campaign_id text,
    user_id text,
    type text NOT NULL CHECK (
      type IN ('email_sent','email_open','email_click','email_reply','form_submit','page_view','content_view',
               'trade_show_scan','call','meeting','letter','seminar','webinar','direct_mail','ad_click',
               'quote_sent','deal_won','deal_lost','note')
      OR type ~ '^other:[a-z0-9_]{1,40}$'
    ),
    direction text NOT NULL CHECK (direction IN ('marketing','sales')),
    channel text,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, occurred_at, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
  ) PARTITION BY RANGE (occurred_at)`,
  `CREATE INDEX touches_contact_idx ON touches (workspace_id, contact_id, occurred_at DESC)`,
  `CREATE INDEX touches_company_idx ON touches (workspace_id, company_id, occurred_at DESC)`,
  `CREATE INDEX touches_campaign_idx ON touches (workspace_id, campaign_id, occurred_at)`,
  `CREATE INDEX touches_type_idx ON touches (workspace_id, type, occurred_at)`,
  // Idempotency keys live outside the partitioned table: a unique key there would have to include
  // occurred_at, and a retried request must find the original whatever its time.
  `CREATE TABLE touch_keys (
    workspace_id text NOT NULL,
    key text NOT NULL,
    touch_id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, key)
  )`,
  // Bounds are written as UTC literals so the session time zone cannot shift a month's edges.
  `CREATE FUNCTION tandem_ensure_touch_partition(month_start date) RETURNS void LANGUAGE plpgsql AS $$
   DECLARE
     m date := date_trunc('month', month_start)::date;
     part text := format('touches_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
   BEGIN
     IF to_regclass(part) IS NULL THEN
       EXECUTE format('CREATE TABLE %I PARTITION OF touches FOR VALUES FROM (%L) TO (%L)',
                      part, m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
     END IF;
   EXCEPTION WHEN duplicate_table OR unique_violation THEN
     NULL; -- another transaction created it first
   END $$`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
