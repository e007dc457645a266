import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from '../src/contracts/scoring.ts';
import type { Engine } from '../src/server/config.ts';
import { newId } from '../src/server/lib/ids.ts';
import { createRule, setRepSettings } from '../src/server/modules/lifecycle/lifecycle.routing.admin.ts';
import { routeMqls } from '../src/server/modules/lifecycle/lifecycle.service.ts';
import { recomputeScores } from '../src/server/modules/scoring/scoring.jobs.ts';
import { saveScoringModel } from '../src/server/modules/scoring/scoring.service.ts';
import { logTouches } from '../src/server/modules/touches/touches.service.ts';
import type { Actor } from '../src/server/modules/workspaces/workspaces.policy.ts';
import {
  createWorkspaceWithUser,
  insertUserAudited,
} from '../src/server/modules/workspaces/workspaces.service.ts';
import type { Runtime } from '../src/server/runtime.ts';
import {
  adminActor,
  benchServerUrl,
  newStore,
  openStore,
  type Stats,
  sample,
  serverSettings,
  stats,
  table,
  timed,
} from './lib.ts';

/**
 * Scoring benchmark on a workspace generated with SQL (generate_series INSERT … SELECT, one touch
 * per contact, then ANALYZE):
 * (b) a rule change: the model is saved and the full recompute job runs over every contact (timed
 *     until the recompute is done);
 * (a) one incoming touch end to end through `logTouches` (what POST /api/touches calls): stored,
 *     score and temperature updated in the same transaction, and the lifecycle stage / routing
 *     applied when it crosses the MQL threshold (the bench model puts MQL at 30, so a decision maker's
 *     first form submission crosses it). Sequential single touches to random contacts.
 * `node bench/scoring.bench.ts [--engine postgres|pglite] [--contacts N] [--touches N]`, or
 * `npm run bench -- --suite scoring` (PostgreSQL at 1,000,000 and PGlite at 100,000 contacts).
 */

export interface ScoringFigures {
  engine: Engine;
  contacts: number;
  generateMs: number;
  recomputeMs: number;
  recomputed: number;
  recomputeMqls: number;
  /** Routing job time per lead (a sample of the recompute's MQLs). */
  routeMs: number;
  touch: Stats;
  touches: number;
  mqlCrossings: number;
  server: string;
}

const COUNTRIES = ['DE', 'FR', 'CN', 'US', 'GB', 'IT', 'ES', 'JP', 'BR', 'IN'];
const TITLES = ['Director of Sales', 'Engineer', 'CEO', 'Purchasing Manager', 'Student', 'Analyst'];
const TYPES = ['email_click', 'email_open', 'page_view', 'content_view', 'form_submit', 'webinar'];
const DAYS = 120;
const ADMIN = 'admin@scoring.example';
/** MQLs of the recompute routed (timed) before the touches are measured. */
const ROUTE_SAMPLE = 1000;

/** The rule change measured: a target market switched on, and lower thresholds. */
const BENCH_MODEL: ScoringModel = {
  ...DEFAULT_SCORING_MODEL,
  fit: DEFAULT_SCORING_MODEL.fit.map((r) =>
    r.id === 'target-market' ? { ...r, enabled: true, values: ['DE', 'FR', 'CN'] } : r,
  ),
  thresholds: { warm: 20, hot: 30, mql: 30 },
};

export async function generate(rt: Runtime, contacts: number, log: (s: string) => void): Promise<Actor> {
  const db = rt.ctx.db;
  const { workspaceId } = await db
    .transaction()
    .execute((trx) =>
      createWorkspaceWithUser(
        trx,
        'Scoring bench',
        { email: 'admin@scoring.example', name: 'Admin', password: 'correct horse battery', role: 'admin' },
        'bench',
      ),
    );
  const arr = (xs: string[]) => sql`${sql.raw(`ARRAY['${xs.join("','")}']`)}`;
  const chunk = 250_000;
  for (let from = 1; from <= contacts; from += chunk) {
    const to = Math.min(contacts, from + chunk - 1);
    await sql`
      INSERT INTO contacts (workspace_id, id, first_name, last_name, email, country, title, created_at, updated_at)
      SELECT ${workspaceId}, 'ctc_' || lpad(g::text, 9, '0'), 'First' || (g % 5000), 'Last' || (g % 7919),
             'p' || g || '@bench.example', (${arr(COUNTRIES)})[1 + (g * 7) % 10],
             (${arr(TITLES)})[1 + (g * 11) % ${TITLES.length}],
             now() - ((g * 13) % 730) * interval '1 day', now()
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`contacts ${to.toLocaleString('en-US')}`);
  }
  for (let m = 0; m <= Math.ceil(DAYS / 30) + 1; m++) {
    await sql`SELECT tandem_ensure_touch_partition((date_trunc('month', now()) - ${m} * interval '1 month')::date)`.execute(
      db,
    );
  }
  for (let from = 1; from <= contacts; from += chunk) {
    const to = Math.min(contacts, from + chunk - 1);
    await sql`
      INSERT INTO touches (workspace_id, id, occurred_at, contact_id, type, direction, channel, metadata)
      SELECT ${workspaceId}, 'tch_' || lpad(g::text, 10, '0'),
             now() - ((g::bigint * 7919) % (${DAYS}::bigint * 86400)) * interval '1 second',
             'ctc_' || lpad((1 + (g::bigint * 104729) % ${contacts})::text, 9, '0'),
             (${arr(TYPES)})[1 + (g * 31) % ${TYPES.length}], 'marketing', NULL, '{}'::jsonb
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`touches ${to.toLocaleString('en-US')}`);
  }
  // VACUUM too, as autovacuum would after a bulk load (visibility map, statistics).
  await sql`VACUUM ANALYZE`.execute(db);
  return adminActor(rt, workspaceId, ADMIN);
}

export async function benchScoring(engine: Engine, contacts: number, touches = 500): Promise<ScoringFigures> {
  const log = (s: string) => process.stderr.write(`[scoring ${engine}] ${s}\n`);
  const pgUrl = benchServerUrl();
  const store = await newStore(engine, pgUrl);
  const rt = await openStore(store);
  try {
    log(`generating ${contacts.toLocaleString('en-US')} contacts (one touch each) with SQL…`);
    const gen = await timed(() => generate(rt, contacts, log));
    const actor = gen.value;
    await salesTeam(rt, actor);
    log('saving a rule change and running the full recompute…');
    const mqlStart = await countMql(rt, actor.workspaceId);
    const rc = await timed(async () => {
      const saved = await saveScoringModel(rt.ctx, actor, BENCH_MODEL);
      return recomputeScores(rt.ctx, actor.workspaceId, saved.recompute.id);
    });
    log(`recomputed ${rc.value} contacts in ${(rc.ms / 1000).toFixed(1)} s; routing the new MQLs…`);
    // What the routeNewMqls jobs the recompute enqueued do (this runtime runs no workers).
    const newMqls = await sql<{ contact_id: string }>`
      SELECT contact_id FROM lifecycle_transitions
      WHERE workspace_id = ${actor.workspaceId} AND to_stage = 'mql' ORDER BY id`.execute(rt.ctx.db);
    // A sample is enough for a rate: at a million contacts the recompute makes tens of thousands.
    const contactIds = newMqls.rows.map((r) => r.contact_id).slice(0, ROUTE_SAMPLE);
    const route = await timed(() => routeMqls(rt.ctx, { workspaceId: actor.workspaceId, contactIds }));
    log(`routed ${contactIds.length} in ${(route.ms / 1000).toFixed(1)} s; measuring single touches…`);
    await sql`ANALYZE contacts`.execute(rt.ctx.db);
    const mqlBefore = await countMql(rt, actor.workspaceId);
    // A fixed sequence of random contacts so runs are comparable.
    let seed = 42;
    const nextContact = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return `ctc_${String(1 + (seed % contacts)).padStart(9, '0')}`;
    };
    const touch = await sample(touches, () =>
      logTouches(rt.ctx, actor, [{ contactId: nextContact(), type: 'form_submit' }]),
    );
    const mqlAfter = await countMql(rt, actor.workspaceId);
    return {
      engine,
      contacts,
      generateMs: gen.ms,
      recomputeMs: rc.ms,
      recomputed: rc.value,
      recomputeMqls: (await countMql(rt, actor.workspaceId)) - mqlStart - (mqlAfter - mqlBefore),
      routeMs: route.ms / Math.max(1, contactIds.length),
      touch: stats(touch.samples),
      touches,
      mqlCrossings: mqlAfter - mqlBefore,
      server: await serverSettings(rt),
    };
  } finally {
    await rt.close();
    await store.drop();
  }
}

/**
 * A team of five reps and a manager behind a catch-all routing rule, with room for every lead (so
 * routing assigns instead of overflowing): every MQL of the bench is really routed.
 */
export async function salesTeam(rt: Runtime, actor: Actor): Promise<void> {
  const db = rt.ctx.db;
  const ws = actor.workspaceId;
  const teamId = newId('team');
  await db.insertInto('teams').values({ workspace_id: ws, id: teamId, name: 'Inside sales' }).execute();
  for (let i = 0; i < 5; i++) {
    const userId = await db.transaction().execute((trx) =>
      insertUserAudited(
        trx,
        ws,
        {
          email: `rep${i}@scoring.example`,
          name: `Rep ${i}`,
          password: 'correct horse battery',
          role: 'sales_rep',
        },
        { userId: null, label: 'bench' },
      ),
    );
    await db
      .insertInto('team_members')
      .values({ workspace_id: ws, team_id: teamId, user_id: userId })
      .execute();
    await setRepSettings(rt.ctx, actor, userId, { weight: 1 + (i % 2), monthlyCapacity: 100_000 });
  }
  await createRule(rt.ctx, actor, { name: 'Everyone', teamId, conditions: {} });
}

async function countMql(rt: Runtime, workspaceId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM contacts
    WHERE workspace_id = ${workspaceId} AND lifecycle_stage = 'mql'`.execute(rt.ctx.db);
  return Number(r.rows[0]?.n ?? 0);
}

export function scoringTable(results: ScoringFigures[]): string {
  return table(
    ['scoring', ...results.map((r) => `${r.engine} ${r.contacts / 1000}k`)],
    [
      ['server', ...results.map((r) => r.server)],
      ['contacts (one touch each)', ...results.map((r) => r.contacts)],
      ['generation with SQL (s)', ...results.map((r) => r.generateMs / 1000)],
      ['full recompute after a rule change (s)', ...results.map((r) => r.recomputeMs / 1000)],
      ['contacts recomputed', ...results.map((r) => r.recomputed)],
      ['of which became MQL (set-based)', ...results.map((r) => r.recomputeMqls)],
      ['routing job, per MQL (ms)', ...results.map((r) => r.routeMs)],
      ['single touch, sequential', ...results.map((r) => r.touches)],
      ['single touch p50', ...results.map((r) => r.touch.p50)],
      ['single touch p99', ...results.map((r) => r.touch.p99)],
      ['of which crossed MQL', ...results.map((r) => r.mqlCrossings)],
    ],
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      contacts: { type: 'string' },
      touches: { type: 'string', default: '500' },
    },
  });
  const engine = values.engine as Engine;
  const contacts = Number(values.contacts ?? (engine === 'postgres' ? 1_000_000 : 100_000));
  const r = await benchScoring(engine, contacts, Number(values.touches));
  console.log(scoringTable([r]));
  process.exit(0);
}
