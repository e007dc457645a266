import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { ScoringModel, Temperature } from '../../../contracts/scoring.ts';
import type { Database } from '../../db/types.ts';
import {
  awarded,
  bucketOf,
  decayFactor,
  enabledRules,
  fitExpression,
  halfLifeSeconds,
  periodSeconds,
  ruleCondition,
  touchPoints,
} from './scoring.sql.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ModelRow {
  version: number;
  model: unknown;
  updated_at: Date;
}

export async function findModel(db: Db, workspaceId: string): Promise<ModelRow | undefined> {
  const res = await sql<ModelRow>`
    SELECT version, model, updated_at FROM scoring_models WHERE workspace_id = ${workspaceId}`.execute(db);
  return res.rows[0];
}

/** Saves the model and returns its new version (1 for the first save). */
export async function saveModel(
  trx: Transaction<Database>,
  workspaceId: string,
  model: ScoringModel,
  userId: string | null,
  at: Date,
): Promise<number> {
  const res = await sql<{ version: number }>`
    INSERT INTO scoring_models (workspace_id, version, model, updated_at, updated_by)
    VALUES (${workspaceId}, 1, ${JSON.stringify(model)}::jsonb, ${at}, ${userId})
    ON CONFLICT (workspace_id) DO UPDATE
      SET version = scoring_models.version + 1, model = EXCLUDED.model, updated_at = EXCLUDED.updated_at,
          updated_by = EXCLUDED.updated_by
    RETURNING version`.execute(trx);
  return res.rows[0]!.version;
}

/** A new touch as the engagement part of scoring needs it. */
export interface ScoredTouch {
  id: string;
  contactId: string;
  type: string;
  occurredAt: Date;
}

/**
 * Where the engagement part comes from:
 * - `keep`: the stored value, decayed to now (a field changed, or time passed);
 * - `delta`: the stored value decayed, plus what these new touches add: only their contact, type and
 *   cap period are re-read, and the groups' totals with and without the new touches are compared,
 *   so a late touch that displaces another under the cap counts exactly as a recompute would;
 * - `full`: recomputed from every touch of contacts with ids in [lo, hi] (a recompute batch).
 */
export type EngagementSource =
  | { kind: 'keep' }
  | { kind: 'delta'; touches: ScoredTouch[] }
  | { kind: 'full'; lo: string; hi: string };

export interface ScoreChange {
  id: string;
  old_temperature: Temperature;
  temperature: Temperature;
  old_score: number;
  score: number;
  deleted: boolean;
}

/** Engagement added per contact (valued at now), as a relation `d(contact_id, eng)`. */
function engagementRelation(
  workspaceId: string,
  model: ScoringModel,
  now: Date,
  src: EngagementSource,
): RawBuilder<unknown> | undefined {
  const decay = decayFactor(model, now, sql`w.occurred_at`);
  if (src.kind === 'keep') return undefined;
  if (src.kind === 'full') {
    return sql`(
      SELECT w.contact_id, sum(${awarded(sql`w.cum`)} * ${decay}) AS eng
      FROM (
        SELECT t.contact_id, t.occurred_at, r.points, r.cap,
               sum(r.points) OVER (PARTITION BY t.contact_id, t.type, ${bucketOf(model, sql`t.occurred_at`)}
                                   ORDER BY t.occurred_at, t.id) AS cum
        FROM touches t JOIN ${touchPoints(model)} ON r.type = t.type
        WHERE t.workspace_id = ${workspaceId} AND t.contact_id >= ${src.lo} AND t.contact_id <= ${src.hi}
      ) AS w
      GROUP BY w.contact_id)`;
  }
  const ts = src.touches;
  if (!ts.length) return undefined;
  const period = periodSeconds(model);
  return sql`(
    WITH g AS (
      SELECT DISTINCT n.contact_id, n.type, ${bucketOf(model, sql`n.occurred_at`)} AS bucket
      FROM unnest(${ts.map((t) => t.contactId)}::text[], ${ts.map((t) => t.type)}::text[],
                  ${ts.map((t) => t.occurredAt.toISOString())}::timestamptz[]) AS n(contact_id, type, occurred_at)
    ), t AS (
      SELECT t.contact_id, t.type, g.bucket, t.occurred_at, t.id, r.points, r.cap,
             t.id = ANY(${ts.map((t) => t.id)}::text[]) AS is_new
      FROM g
      JOIN ${touchPoints(model)} ON r.type = g.type
      JOIN touches t ON t.workspace_id = ${workspaceId} AND t.contact_id = g.contact_id AND t.type = g.type
        AND t.occurred_at >= to_timestamp(g.bucket * ${period}) AND t.occurred_at < to_timestamp((g.bucket + 1) * ${period})
    ), w AS (
      SELECT contact_id, occurred_at, points, cap, is_new,
             sum(points) OVER win AS cum_all,
             sum(CASE WHEN is_new THEN 0 ELSE points END) OVER win AS cum_old
      FROM t WINDOW win AS (PARTITION BY contact_id, type, bucket ORDER BY occurred_at, id)
    )
    SELECT w.contact_id,
           sum((${awarded(sql`cum_all`)} - CASE WHEN is_new THEN 0 ELSE ${awarded(sql`cum_old`)} END) * ${decay}) AS eng
    FROM w GROUP BY w.contact_id)`;
}

/**
 * Scores these contacts in one statement: fit from the model's rules, engagement per `src`, then
 * score, temperature, score_at = now and due_at, upserted into contact_scores (due_at: when the
 * decayed score will fall below the temperature's threshold: now + half-life ·
 * log2(engagement / (threshold − 0.5 − fit))). Scores are rounded half up (floor(x + 0.5)) on both
 * engines. Returns the old and new score of each contact written.
 */
export async function scoreContacts(
  trx: Transaction<Database>,
  workspaceId: string,
  model: ScoringModel,
  now: Date,
  ids: string[] | 'range',
  src: EngagementSource,
): Promise<ScoreChange[]> {
  if (ids !== 'range' && !ids.length) return [];
  // A recompute batch is an id range: an index range scan, where `= ANY(thousands of ids)` makes
  // PostgreSQL scan the whole table.
  const inScope = (col: RawBuilder<unknown>) =>
    ids === 'range'
      ? src.kind === 'full'
        ? sql`${col} >= ${src.lo} AND ${col} <= ${src.hi}`
        : sql`false`
      : sql`${col} = ANY(${ids}::text[])`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const hl = halfLifeSeconds(model);
  const { warm, hot } = model.thresholds;
  const added = engagementRelation(workspaceId, model, now, src);
  const storedDecayed = sql`coalesce(cs.engagement, 0) * ${decayFactor(model, now, sql`coalesce(cs.score_at, ${at})`)}`;
  const engagement =
    src.kind === 'full'
      ? sql`coalesce(d.eng, 0)`
      : added
        ? sql`${storedDecayed} + coalesce(d.eng, 0)`
        : storedDecayed;
  // MATERIALIZED: computed once per contact; inlined, the fit and decay expressions would be
  // evaluated again for every reference (score, temperature, due time, the unchanged-row check).
  const q = sql<ScoreChange>`
    WITH s AS MATERIALIZED (
      SELECT c.id, c.deleted_at IS NOT NULL AS deleted, cs.contact_id IS NOT NULL AS has_row,
             cs.fit AS stored_fit, cs.score AS stored_score, cs.temperature AS stored_temperature,
             cs.due_at AS stored_due, (${storedDecayed})::float8 AS stored_eng,
             coalesce(cs.temperature, 'cold') AS old_temperature,
             least(100, greatest(0, floor(coalesce(cs.fit, 0) + ${storedDecayed} + 0.5)))::int AS old_score,
             ${fitExpression(model)} AS fit, (${engagement})::float8 AS eng
      FROM contacts c
      -- The scope again on cs: PostgreSQL does not carry c.id's range over the join condition.
      LEFT JOIN contact_scores cs ON cs.workspace_id = c.workspace_id AND cs.contact_id = c.id
        AND ${inScope(sql`cs.contact_id`)}
      LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
      ${added ? sql`LEFT JOIN ${added} AS d ON d.contact_id = c.id` : sql``}
      WHERE c.workspace_id = ${workspaceId} AND ${inScope(sql`c.id`)}
    ), v AS (
      SELECT s.*, least(100, greatest(0, floor(s.fit + s.eng + 0.5)))::int AS score FROM s
    ), x AS (
      SELECT v.*, CASE WHEN v.score >= ${sql.lit(hot)} THEN 'hot' WHEN v.score >= ${sql.lit(warm)} THEN 'warm'
                       ELSE 'cold' END AS temperature FROM v
    ), y AS (
      SELECT x.*, CASE x.temperature WHEN 'hot' THEN ${sql.lit(hot)} WHEN 'warm' THEN ${sql.lit(warm)} END
                  - 0.5 - x.fit AS room FROM x
    ), z AS (
      SELECT y.*, CASE WHEN y.room > 0 AND y.eng > 0
                       THEN ${at} + (${hl} * ln(greatest(1, y.eng / y.room)) / ln(2)) * interval '1 second'
                  END AS due FROM y
    ), written AS (
      INSERT INTO contact_scores AS cs (workspace_id, contact_id, score, temperature, fit, engagement, score_at, due_at)
      SELECT ${workspaceId}, z.id, z.score, z.temperature, z.fit, z.eng, ${at}, z.due FROM z
      WHERE ${src.kind === 'full' ? changed() : sql`z.has_row OR z.fit <> 0 OR z.eng <> 0`}
      ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
        score = EXCLUDED.score, temperature = EXCLUDED.temperature, fit = EXCLUDED.fit,
        engagement = EXCLUDED.engagement, score_at = EXCLUDED.score_at, due_at = EXCLUDED.due_at
      RETURNING cs.contact_id
    )
    SELECT z.id, z.old_temperature, z.temperature, z.old_score, z.score, z.deleted
    FROM z JOIN written ON written.contact_id = z.id`;
  const res = await q.execute(trx);
  return res.rows;
}

/**
 * A contact never scored gets a row only when it scores something: no row reads as 0, cold.
 * A recompute writes only contacts whose score parts change: a row whose fit, decayed engagement,
 * score, temperature and due time (to the second) stay the same keeps its stored values, which still
 * describe it exactly (engagement as of its own score_at). After a small rule change most of a
 * million contacts are not written at all.
 */
function changed(): RawBuilder<unknown> {
  return sql`CASE WHEN z.has_row THEN (z.stored_fit IS DISTINCT FROM z.fit OR z.stored_score IS DISTINCT FROM z.score
        OR z.stored_temperature IS DISTINCT FROM z.temperature
        OR abs(z.eng - z.stored_eng) > 1e-9
        OR (z.stored_due IS NULL) <> (z.due IS NULL)
        OR abs(extract(epoch FROM z.stored_due - z.due)) > 1)
      ELSE (z.fit <> 0 OR z.eng <> 0) END`;
}

/** Contacts whose decayed score has fallen below their temperature's threshold by now (oldest first). */
export async function dueContacts(
  db: Db,
  now: Date,
  limit: number,
): Promise<{ workspace_id: string; id: string }[]> {
  const res = await sql<{ workspace_id: string; id: string }>`
    SELECT workspace_id, contact_id AS id FROM contact_scores
    WHERE due_at IS NOT NULL AND due_at < ${now.toISOString()}::timestamptz
    ORDER BY due_at, workspace_id, contact_id
    LIMIT ${limit}`.execute(db);
  return res.rows;
}

/**
 * The next keyset batch of a workspace's contacts as an id range (deleted ones too: a restore must
 * find them scored), read from the primary key alone; null when none is left.
 */
export async function nextContactRange(
  db: Db,
  workspaceId: string,
  afterId: string | null,
  limit: number,
): Promise<{ lo: string; hi: string; n: number } | null> {
  const res = await sql<{ lo: string | null; hi: string | null; n: number }>`
    SELECT min(id) AS lo, max(id) AS hi, count(*)::int AS n FROM (
      SELECT id FROM contacts WHERE workspace_id = ${workspaceId}
        ${afterId ? sql`AND id > ${afterId}` : sql``}
      ORDER BY id LIMIT ${limit}) AS b`.execute(db);
  const r = res.rows[0];
  return r?.lo && r.hi ? { lo: r.lo, hi: r.hi, n: r.n } : null;
}

export async function companyContactIds(db: Db, workspaceId: string, companyId: string): Promise<string[]> {
  const res = await sql<{ id: string }>`
    SELECT id FROM contacts WHERE workspace_id = ${workspaceId} AND company_id = ${companyId}`.execute(db);
  return res.rows.map((r) => r.id);
}

export async function countContacts(db: Db, workspaceId: string): Promise<number> {
  const res = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM contacts WHERE workspace_id = ${workspaceId}`.execute(db);
  return res.rows[0]!.n;
}

export interface StoredScore {
  score: number;
  temperature: Temperature;
  score_at: Date | null;
  score_fit: number;
  score_engagement: number;
}

/** Which of the model's enabled fit rules fire for this contact (same conditions as scoring). */
export async function firedRules(
  db: Db,
  workspaceId: string,
  contactId: string,
  model: ScoringModel,
): Promise<{ stored: StoredScore; fired: string[] } | undefined> {
  const rules = enabledRules(model);
  const cols = rules.map((r, i) => sql`${ruleCondition(r)} AS ${sql.ref(`r${i}`)}`);
  const res = await sql<StoredScore & Record<string, unknown>>`
    SELECT coalesce(cs.score, 0) AS score, coalesce(cs.temperature, 'cold') AS temperature, cs.score_at,
           coalesce(cs.fit, 0) AS score_fit, coalesce(cs.engagement, 0) AS score_engagement
           ${cols.length ? sql`, ${sql.join(cols)}` : sql``}
    FROM contacts c
    LEFT JOIN contact_scores cs ON cs.workspace_id = c.workspace_id AND cs.contact_id = c.id
    LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
    WHERE c.workspace_id = ${workspaceId} AND c.id = ${contactId}`.execute(db);
  const row = res.rows[0];
  if (!row) return undefined;
  return {
    stored: {
      score: row.score,
      temperature: row.temperature,
      score_at: row.score_at,
      score_fit: row.score_fit,
      score_engagement: Number(row.score_engagement),
    },
    fired: rules.filter((_, i) => row[`r${i}`] === true).map((r) => r.id),
  };
}

export interface EngagementByType {
  type: string;
  touches: number;
  points: number;
  decayed: number;
}

/** A contact's engagement per touch type: touches that earned points, points after caps, and after decay. */
export async function engagementByType(
  db: Db,
  workspaceId: string,
  contactId: string,
  model: ScoringModel,
  now: Date,
): Promise<EngagementByType[]> {
  const res = await sql<EngagementByType>`
    SELECT w.type, count(*) FILTER (WHERE ${awarded(sql`w.cum`)} > 0)::int AS touches,
           sum(${awarded(sql`w.cum`)})::float8 AS points,
           sum(${awarded(sql`w.cum`)} * ${decayFactor(model, now, sql`w.occurred_at`)})::float8 AS decayed
    FROM (
      SELECT t.type, t.occurred_at, r.points, r.cap,
             sum(r.points) OVER (PARTITION BY t.type, ${bucketOf(model, sql`t.occurred_at`)}
                                 ORDER BY t.occurred_at, t.id) AS cum
      FROM touches t JOIN ${touchPoints(model)} ON r.type = t.type
      WHERE t.workspace_id = ${workspaceId} AND t.contact_id = ${contactId}
    ) AS w
    GROUP BY w.type
    ORDER BY decayed DESC, w.type`.execute(db);
  return res.rows.map((r) => ({ ...r, points: Number(r.points), decayed: Number(r.decayed) }));
}

export interface RecomputeRow {
  workspace_id: string;
  id: string;
  model_version: number;
  status: 'queued' | 'running' | 'done' | 'superseded';
  total: number;
  processed: number;
  changed: number;
  after_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function insertRecompute(
  trx: Transaction<Database>,
  row: { workspaceId: string; id: string; modelVersion: number; total: number; at: Date },
): Promise<void> {
  // A newer model makes any unfinished recompute pointless: the new one rescores everyone.
  await sql`
    UPDATE score_recomputes SET status = 'superseded', finished_at = ${row.at}
    WHERE workspace_id = ${row.workspaceId} AND status IN ('queued', 'running')`.execute(trx);
  await sql`
    INSERT INTO score_recomputes (workspace_id, id, model_version, status, total, created_at)
    VALUES (${row.workspaceId}, ${row.id}, ${row.modelVersion}, 'queued', ${row.total}, ${row.at})`.execute(
    trx,
  );
}

export async function findRecompute(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<RecomputeRow | undefined> {
  const res = await sql<RecomputeRow>`
    SELECT * FROM score_recomputes WHERE workspace_id = ${workspaceId} AND id = ${id}
    ${opts.forUpdate ? sql`FOR UPDATE` : sql``}`.execute(db);
  return res.rows[0];
}

export async function latestRecompute(db: Db, workspaceId: string): Promise<RecomputeRow | undefined> {
  const res = await sql<RecomputeRow>`
    SELECT * FROM score_recomputes WHERE workspace_id = ${workspaceId}
    ORDER BY created_at DESC, id DESC LIMIT 1`.execute(db);
  return res.rows[0];
}

export async function advanceRecompute(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  p: { afterId: string | null; processed: number; changed: number; done: boolean; at: Date },
): Promise<void> {
  await sql`
    UPDATE score_recomputes SET
      status = ${p.done ? 'done' : 'running'}, after_id = ${p.afterId},
      processed = processed + ${p.processed}, changed = changed + ${p.changed},
      started_at = coalesce(started_at, ${p.at}), finished_at = ${p.done ? p.at : null}
    WHERE workspace_id = ${workspaceId} AND id = ${id}`.execute(trx);
}
