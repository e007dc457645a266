import { type Kysely, sql } from 'kysely';

/**
 * The product catalogue and its price lists (one currency each, optionally for one market), plus
 * the workspace settings quotes need: the discount that triggers a manager's approval (basis
 * points, default 15 %) and the logo printed on quote PDFs (a file under the data folder).
 */
const statements = [
  `CREATE TABLE products (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    sku text NOT NULL,
    name text NOT NULL,
    description text,
    unit text NOT NULL DEFAULT 'pcs',
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT products_sku_key UNIQUE (workspace_id, sku)
  )`,
  `CREATE INDEX products_name_idx ON products (workspace_id, lower(name), id)`,
  `CREATE TABLE price_lists (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    market text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT price_lists_name_key UNIQUE (workspace_id, name)
  )`,
  `CREATE TABLE price_list_items (
    workspace_id text NOT NULL,
    price_list_id text NOT NULL,
    product_id text NOT NULL,
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, price_list_id, product_id),
    FOREIGN KEY (workspace_id, price_list_id) REFERENCES price_lists (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
  )`,
  `CREATE INDEX price_list_items_product_idx ON price_list_items (workspace_id, product_id)`,
  `ALTER TABLE workspaces
     ADD COLUMN quote_discount_threshold_bp integer NOT NULL DEFAULT 1500
       CHECK (quote_discount_threshold_bp BETWEEN 0 AND 10000),
     ADD COLUMN logo_file text,
     ADD COLUMN logo_type text`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
