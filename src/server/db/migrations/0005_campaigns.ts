import { type Kysely, sql } from 'kysely';

/**
 * Campaigns (with nesting under a parent program), their per-market variants, dated cost lines,
 * members with a per-channel status, the workspace's campaign settings, and in-app notifications.
 * Money is integer minor units plus an ISO currency. Dates of a campaign are calendar dates
 * (`date`), not instants: a trade show runs 12–14 March wherever the viewer sits.
 */
const statements = [
  `CREATE TABLE campaigns (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    description text,
    channel text NOT NULL CHECK (channel IN ('email','trade_show','direct_mail','ads','pr','webinar','seminar',
                                             'content','promotion','referral','other')),
    status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','active','completed','cancelled')),
    starts_on date,
    ends_on date,
    owner_id text,
    parent_id text,
    markets text[] NOT NULL DEFAULT '{}',
    language text,
    currency text NOT NULL,
    budget_minor bigint,
    goal_leads integer,
    goal_sqls integer,
    goal_revenue_minor bigint,
    notice_days integer CHECK (notice_days BETWEEN 0 AND 365),
    sales_notified_at timestamptz,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    CHECK (parent_id IS NULL OR parent_id <> id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES campaigns (workspace_id, id)
  )`,
  `CREATE INDEX campaigns_dates_idx ON campaigns (workspace_id, starts_on, ends_on) WHERE deleted_at IS NULL`,
  `CREATE INDEX campaigns_parent_idx ON campaigns (workspace_id, parent_id) WHERE parent_id IS NOT NULL`,
  // The notice job looks only at planned campaigns not yet announced to sales.
  `CREATE INDEX campaigns_notice_idx ON campaigns (starts_on)
     WHERE status = 'planned' AND sales_notified_at IS NULL AND deleted_at IS NULL`,
  `CREATE TABLE campaign_markets (
    workspace_id text NOT NULL,
    id text NOT NULL,
    campaign_id text NOT NULL,
    market text NOT NULL,
    language text,
    name text,
    content_links jsonb NOT NULL DEFAULT '[]'::jsonb,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, campaign_id, market),
    FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id)
  )`,
  `CREATE TABLE campaign_cost_lines (
    workspace_id text NOT NULL,
    id text NOT NULL,
    campaign_id text NOT NULL,
    market_id text,
    incurred_on date NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    category text NOT NULL,
    description text,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id),
    FOREIGN KEY (workspace_id, market_id) REFERENCES campaign_markets (workspace_id, id)
  )`,
  `CREATE INDEX campaign_cost_lines_campaign_idx ON campaign_cost_lines (workspace_id, campaign_id, incurred_on)`,
  // touched: the touch types already logged for this membership, so a status that goes back and
  // forth (registered → attended → registered → attended) logs its touch once.
  `CREATE TABLE campaign_members (
    workspace_id text NOT NULL,
    campaign_id text NOT NULL,
    contact_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('targeted','invited','registered','attended','visited_booth',
                                           'responded','converted')),
    source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','segment','import','list')),
    market_id text,
    touched text[] NOT NULL DEFAULT '{}',
    added_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, campaign_id, contact_id),
    FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, market_id) REFERENCES campaign_markets (workspace_id, id)
  )`,
  `CREATE INDEX campaign_members_contact_idx ON campaign_members (workspace_id, contact_id)`,
  `CREATE TABLE campaign_settings (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    notice_days integer NOT NULL DEFAULT 7 CHECK (notice_days BETWEEN 0 AND 365),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id)
  )`,
  `CREATE TABLE notifications (
    workspace_id text NOT NULL,
    id text NOT NULL,
    user_id text NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    body text,
    link text,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    dedupe_key text,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE INDEX notifications_user_idx ON notifications (workspace_id, user_id, id DESC)`,
  `CREATE INDEX notifications_unread_idx ON notifications (workspace_id, user_id) WHERE read_at IS NULL`,
  `CREATE UNIQUE INDEX notifications_dedupe_uq ON notifications (workspace_id, user_id, dedupe_key)
     WHERE dedupe_key IS NOT NULL`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
