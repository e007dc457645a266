import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { QuoteLinesTable, QuotesTable, WorkspacesTable } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Db } from '../contacts/records.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

export type WorkspaceSettingsRow = Pick<
  Selectable<WorkspacesTable>,
  'id' | 'name' | 'quote_discount_threshold_bp' | 'logo_file' | 'logo_type' | 'default_locale'
>;

export async function findWorkspaceSettings(
  db: Db,
  workspaceId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<WorkspaceSettingsRow | undefined> {
  let q = db
    .selectFrom('workspaces')
    .select(['id', 'name', 'quote_discount_threshold_bp', 'logo_file', 'logo_type', 'default_locale'])
    .where('id', '=', workspaceId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateWorkspaceSettings(
  db: Db,
  workspaceId: string,
  patch: Pick<Updateable<WorkspacesTable>, 'quote_discount_threshold_bp' | 'logo_file' | 'logo_type'>,
): Promise<void> {
  await db.updateTable('workspaces').set(patch).where('id', '=', workspaceId).execute();
}

export type QuoteRow = Selectable<QuotesTable>;
export type QuoteLineRow = Selectable<QuoteLinesTable>;

/**
 * Takes the next quote number of the year in the caller's transaction. The upsert locks the
 * sequence row until commit, so concurrent creators queue up; a rollback returns the number.
 */
export async function nextQuoteNumber(db: Db, workspaceId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('quote_number_sequences')
    .values({ workspace_id: workspaceId, year, last_value: 1 })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'year']).doUpdateSet({
        last_value: sql<number>`quote_number_sequences.last_value + 1`,
      }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return Number(row.last_value);
}

export async function insertQuote(db: Db, row: Insertable<QuotesTable>): Promise<QuoteRow> {
  return db.insertInto('quotes').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateQuote(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Updateable<QuotesTable>,
): Promise<QuoteRow> {
  return db
    .updateTable('quotes')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replaceLines(
  db: Db,
  workspaceId: string,
  quoteId: string,
  lines: Insertable<QuoteLinesTable>[],
): Promise<void> {
  await db
    .deleteFrom('quote_lines')
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', '=', quoteId)
    .execute();
  if (lines.length) await db.insertInto('quote_lines').values(lines).execute();
}

export async function findLines(db: Db, workspaceId: string, quoteIds: string[]): Promise<QuoteLineRow[]> {
  if (!quoteIds.length) return [];
  return db
    .selectFrom('quote_lines')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', 'in', quoteIds)
    .orderBy('quote_id')
    .orderBy('position')
    .execute();
}

/** The date as YYYY-MM-DD text: drivers differ in how they turn a `date` into a JS value (and time zone). */
const validUntilText = sql<string>`quotes.valid_until::text`.as('valid_until');

/** A quote whose deal the actor may see (another workspace's, or an invisible deal's: undefined). */
export async function findQuote(
  db: Db,
  actor: Actor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<QuoteRow | undefined> {
  let q = db
    .selectFrom('quotes')
    .selectAll('quotes')
    .select(validUntilText)
    .where('quotes.workspace_id', '=', actor.workspaceId)
    .where('quotes.id', '=', id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('deals')
          .select('deals.id')
          .whereRef('deals.workspace_id', '=', 'quotes.workspace_id')
          .whereRef('deals.id', '=', 'quotes.deal_id')
          .where(visibleTo(actor, 'deals')),
      ),
    );
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Quotes on deals the actor may see, newest first. */
export async function listQuotes(
  db: Db,
  actor: Actor,
  opts: {
    dealId?: string | undefined;
    status?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
): Promise<(QuoteRow & { deal_name: string })[]> {
  let q = db
    .selectFrom('quotes')
    .innerJoin('deals', (j) =>
      j.onRef('deals.workspace_id', '=', 'quotes.workspace_id').onRef('deals.id', '=', 'quotes.deal_id'),
    )
    .selectAll('quotes')
    .select(validUntilText)
    .select('deals.name as deal_name')
    .where('quotes.workspace_id', '=', actor.workspaceId)
    .where(visibleTo(actor, 'deals'));
  if (opts.dealId) q = q.where('quotes.deal_id', '=', opts.dealId);
  if (opts.status) q = q.where('quotes.status', '=', opts.status);
  if (opts.beforeId) q = q.where('quotes.id', '<', opts.beforeId);
  return q.orderBy('quotes.id', 'desc').limit(opts.limit).execute();
}

/** Sent quotes whose validity ended before `today` become expired; returns their ids. */
export async function expireQuotes(db: Db, today: string): Promise<{ workspace_id: string; id: string }[]> {
  return db
    .updateTable('quotes')
    .set({ status: 'expired', updated_at: sql`now()` })
    .where('status', '=', 'sent')
    .where('valid_until', '<', today)
    .returning(['workspace_id', 'id'])
    .execute();
}

/** Positions of a pipeline's stages by key, and the position of one stage id. */
export async function stagePositions(
  db: Db,
  workspaceId: string,
  pipelineId: string,
): Promise<{ id: string; key: string; position: number }[]> {
  return db
    .selectFrom('pipeline_stages')
    .select(['id', 'key', 'position'])
    .where('workspace_id', '=', workspaceId)
    .where('pipeline_id', '=', pipelineId)
    .execute();
}

/** Active sales managers of the workspace: who is asked to approve a discount. */
export async function salesManagerIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'sales_manager')
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.id);
}

export async function findContactLanguage(
  db: Db,
  workspaceId: string,
  contactId: string,
): Promise<
  { language: string | null; name: string; company: string | null; email: string | null } | undefined
> {
  const row = await db
    .selectFrom('contacts')
    .select(['language', 'first_name', 'last_name', 'company_name', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    language: row.language,
    name: [row.first_name, row.last_name].filter(Boolean).join(' '),
    company: row.company_name,
    email: row.email,
  };
}
