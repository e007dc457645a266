import { type Kysely, sql } from 'kysely';

/**
 * The sales pipeline: pipelines and their stages, deals with their contacts, competitors and stage
 * history, dated exchange rates, the workspace's deal settings, and the voice of the customer
 * (competitor registry and feedback items).
 *
 * A deal's stage is referenced together with its pipeline (`(workspace_id, pipeline_id, stage_id)`),
 * so the database itself refuses a stage from another pipeline, whatever the code above it does.
 * Every pipeline has exactly one `won` and one `lost` stage (kind), enforced by partial unique indexes.
 */
const statements = [
  `CREATE TABLE pipelines (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    position integer NOT NULL DEFAULT 0,
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX pipelines_name_uq ON pipelines (workspace_id, lower(name))`,
  `CREATE UNIQUE INDEX pipelines_default_uq ON pipelines (workspace_id) WHERE is_default`,
  `CREATE TABLE pipeline_stages (
    workspace_id text NOT NULL,
    id text NOT NULL,
    pipeline_id text NOT NULL,
    key text NOT NULL CHECK (key ~ '^[a-z0-9_]{1,40}$'),
    name text NOT NULL,
    position integer NOT NULL,
    probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind text NOT NULL DEFAULT 'open' CHECK (kind IN ('open','won','lost')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, pipeline_id, id),
    UNIQUE (workspace_id, pipeline_id, key),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX pipeline_stages_won_uq ON pipeline_stages (workspace_id, pipeline_id) WHERE kind = 'won'`,
  `CREATE UNIQUE INDEX pipeline_stages_lost_uq ON pipeline_stages (workspace_id, pipeline_id) WHERE kind = 'lost'`,
  `CREATE TABLE deal_settings (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    require_amount_on_won boolean NOT NULL DEFAULT false,
    lost_reasons jsonb NOT NULL DEFAULT '["price","competitor","timing","no_budget","no_decision","product_fit","other"]'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id)
  )`,
  `CREATE TABLE deals (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    name text NOT NULL,
    contact_id text,
    company_id text,
    owner_id text,
    team_id text,
    amount_minor bigint CHECK (amount_minor IS NULL OR amount_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    expected_close_on date,
    source_campaign_id text,
    products jsonb NOT NULL DEFAULT '[]'::jsonb,
    lost_reason text,
    lost_note text,
    won_at timestamptz,
    lost_at timestamptz,
    stage_changed_at timestamptz NOT NULL DEFAULT now(),
    external_id text,
    custom jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id, stage_id) REFERENCES pipeline_stages (workspace_id, pipeline_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id),
    CHECK (won_at IS NULL OR lost_at IS NULL)
  )`,
  `CREATE INDEX deals_stage_idx ON deals (workspace_id, pipeline_id, stage_id) WHERE deleted_at IS NULL`,
  `CREATE INDEX deals_created_idx ON deals (workspace_id, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX deals_contact_idx ON deals (workspace_id, contact_id)`,
  `CREATE INDEX deals_company_idx ON deals (workspace_id, company_id)`,
  `CREATE INDEX deals_owner_idx ON deals (workspace_id, owner_id)`,
  `CREATE INDEX deals_team_idx ON deals (workspace_id, team_id)`,
  `CREATE INDEX deals_won_idx ON deals (workspace_id, won_at) WHERE won_at IS NOT NULL`,
  `CREATE INDEX deals_lost_idx ON deals (workspace_id, lost_at) WHERE lost_at IS NOT NULL`,
  `CREATE INDEX deals_campaign_idx ON deals (workspace_id, source_campaign_id) WHERE source_campaign_id IS NOT NULL`,
  `CREATE UNIQUE INDEX deals_external_id_uq ON deals (workspace_id, external_id)
   WHERE external_id IS NOT NULL AND deleted_at IS NULL`,
  `CREATE TABLE deal_contacts (
    workspace_id text NOT NULL,
    deal_id text NOT NULL,
    contact_id text NOT NULL,
    role text,
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, deal_id, contact_id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
  )`,
  `CREATE INDEX deal_contacts_contact_idx ON deal_contacts (workspace_id, contact_id)`,
  `CREATE TABLE deal_stage_history (
    workspace_id text NOT NULL,
    id text NOT NULL,
    deal_id text NOT NULL,
    pipeline_id text NOT NULL,
    from_stage_id text,
    to_stage_id text NOT NULL,
    at timestamptz NOT NULL,
    actor_id text,
    reason text,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, pipeline_id, to_stage_id) REFERENCES pipeline_stages (workspace_id, pipeline_id, id),
    FOREIGN KEY (workspace_id, actor_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (workspace_id, deal_id, at, id)`,
  `CREATE INDEX deal_stage_history_at_idx ON deal_stage_history (workspace_id, at)`,
  // One rate per currency pair and day: 1 unit of base = rate units of quote. Conversion uses the
  // latest rate on or before the date asked for (either direction of the pair).
  `CREATE TABLE exchange_rates (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    base text NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
    quote text NOT NULL CHECK (quote ~ '^[A-Z]{3}$'),
    on_date date NOT NULL,
    rate numeric(24,12) NOT NULL CHECK (rate > 0),
    source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','import')),
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, base, quote, on_date),
    CHECK (base <> quote)
  )`,
  // Voice of the customer.
  `CREATE TABLE competitors (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    website text,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX competitors_name_uq ON competitors (workspace_id, lower(name))`,
  `CREATE TABLE deal_competitors (
    workspace_id text NOT NULL,
    deal_id text NOT NULL,
    competitor_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, deal_id, competitor_id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, competitor_id) REFERENCES competitors (workspace_id, id)
  )`,
  `CREATE INDEX deal_competitors_competitor_idx ON deal_competitors (workspace_id, competitor_id)`,
  `CREATE TABLE feedback_items (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    type text NOT NULL CHECK (type IN ('objection','feature_request','complaint','praise',
                                       'competitor_mention','price_feedback')),
    source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','deal_lost','deal_competitor')),
    contact_id text,
    deal_id text,
    product_id text,
    product_name text,
    competitor_id text,
    lost_reason text,
    body text NOT NULL DEFAULT '',
    occurred_at timestamptz NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, competitor_id) REFERENCES competitors (workspace_id, id),
    CHECK (contact_id IS NOT NULL OR deal_id IS NOT NULL)
  )`,
  `CREATE INDEX feedback_items_at_idx ON feedback_items (workspace_id, occurred_at DESC, id DESC)`,
  `CREATE INDEX feedback_items_type_idx ON feedback_items (workspace_id, type, occurred_at DESC)`,
  `CREATE INDEX feedback_items_competitor_idx ON feedback_items (workspace_id, competitor_id)`,
  `CREATE INDEX feedback_items_product_idx ON feedback_items (workspace_id, product_id)`,
  `CREATE INDEX feedback_items_deal_idx ON feedback_items (workspace_id, deal_id)`,
  `CREATE INDEX feedback_items_contact_idx ON feedback_items (workspace_id, contact_id)`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
