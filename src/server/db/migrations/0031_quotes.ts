import { type Kysely, sql } from 'kysely';

/**
 * Quotes on deals and their lines. Totals are computed by the server and stored with the quote
 * (a sent quote is a document: what was sent must read back the same even if prices change).
 * A new version of a quote keeps its number and links both ways (previous/next version).
 * The number sequence is one row per workspace and year, incremented inside the creating
 * transaction: the row lock serializes concurrent creators and a rolled-back quote gives its number
 * back, so numbers have no gaps.
 */
const statements = [
  `CREATE TABLE quote_number_sequences (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    year integer NOT NULL,
    last_value integer NOT NULL,
    PRIMARY KEY (workspace_id, year)
  )`,
  `CREATE TABLE quotes (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    number text NOT NULL,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    previous_version_id text,
    next_version_id text,
    deal_id text NOT NULL,
    contact_id text,
    price_list_id text,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL DEFAULT 'draft'
      CHECK (status IN ('draft','pending_approval','sent','accepted','rejected','expired')),
    title text,
    notes text,
    valid_until date NOT NULL,
    discount_bp integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    gross_minor bigint NOT NULL DEFAULT 0,
    line_discount_minor bigint NOT NULL DEFAULT 0,
    subtotal_minor bigint NOT NULL DEFAULT 0,
    quote_discount_minor bigint NOT NULL DEFAULT 0,
    tax_minor bigint NOT NULL DEFAULT 0,
    total_minor bigint NOT NULL DEFAULT 0,
    effective_discount_bp integer NOT NULL DEFAULT 0,
    threshold_bp integer NOT NULL,
    approval_state text NOT NULL DEFAULT 'not_needed'
      CHECK (approval_state IN ('not_needed','required','pending','approved','rejected')),
    approval_requested_by text,
    approval_requested_at timestamptz,
    approval_decided_by text,
    approval_decided_at timestamptz,
    approval_comment text,
    sent_at timestamptz,
    sent_by text,
    answered_at timestamptz,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT quotes_number_version_key UNIQUE (workspace_id, number, version),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, price_list_id) REFERENCES price_lists (workspace_id, id),
    FOREIGN KEY (workspace_id, previous_version_id) REFERENCES quotes (workspace_id, id),
    FOREIGN KEY (workspace_id, next_version_id) REFERENCES quotes (workspace_id, id)
  )`,
  `CREATE INDEX quotes_deal_idx ON quotes (workspace_id, deal_id, id DESC)`,
  `CREATE INDEX quotes_status_idx ON quotes (workspace_id, status, id DESC)`,
  `CREATE INDEX quotes_list_idx ON quotes (workspace_id, id DESC)`,
  `CREATE TABLE quote_lines (
    workspace_id text NOT NULL,
    quote_id text NOT NULL,
    id text NOT NULL,
    position integer NOT NULL,
    product_id text,
    sku text,
    name text NOT NULL,
    description text,
    unit text NOT NULL,
    quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    discount_bp integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    tax_bp integer NOT NULL DEFAULT 0 CHECK (tax_bp BETWEEN 0 AND 10000),
    gross_minor bigint NOT NULL,
    discount_minor bigint NOT NULL,
    net_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, quote_id, position),
    FOREIGN KEY (workspace_id, quote_id) REFERENCES quotes (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
