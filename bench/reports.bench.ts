import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { reportQuerySchema } from '../src/contracts/reports.ts';
import type { Engine } from '../src/server/config.ts';
import { ensureDefaultPipeline } from '../src/server/modules/deals/deals.pipelines.ts';
import { runReport } from '../src/server/modules/reports/reports.service.ts';
import { createWorkspaceWithUser } from '../src/server/modules/workspaces/workspaces.service.ts';
import type { Runtime } from '../src/server/runtime.ts';
import {
  benchServerUrl,
  keptName,
  keptStore,
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
 * Reports benchmark on a workspace generated with SQL (generate_series INSERT … SELECT, then
 * VACUUM ANALYZE): contacts over two years from 8 sources, touches (a third on 20 campaigns with
 * cost lines), deals on every tenth contact (30 % won, 20 % lost). Measures the funnel by source and
 * month (cohort, one year), all six attribution models for one year (one query) and the forecast
 * (6 months ahead plus the 6-month backtest).
 * `node bench/reports.bench.ts [--engine postgres|pglite] [--contacts N]`, or
 * `npm run bench -- --suite reports` (PostgreSQL 1,000,000 / 10,000,000 / 100,000, PGlite 100,000).
 */
export interface ReportFigures {
  engine: Engine;
  contacts: number;
  touches: number;
  deals: number;
  generateMs: number;
  funnel: Stats;
  attribution: Stats;
  forecast: Stats;
  server: string;
}

const SOURCES = ['web', 'ads', 'email', 'trade_show', 'referral', 'social', 'direct_mail', 'partner'];
const TYPES = ['email_click', 'email_open', 'page_view', 'form_submit', 'ad_click', 'call', 'meeting'];
const DAYS = 730;

async function generate(rt: Runtime, contacts: number, touches: number, log: (s: string) => void) {
  const db = rt.ctx.db;
  const { workspaceId } = await db
    .transaction()
    .execute((trx) =>
      createWorkspaceWithUser(
        trx,
        'Reports bench',
        { email: 'admin@reports.example', name: 'Admin', password: 'correct horse battery', role: 'admin' },
        'bench',
      ),
    );
  const pipeline = await ensureDefaultPipeline(db, workspaceId, new Date());
  const arr = (xs: string[]) => sql.raw(`ARRAY['${xs.join("','")}']`);
  await sql`
    INSERT INTO campaigns (workspace_id, id, name, channel, currency, markets)
    SELECT ${workspaceId}, 'cam_' || g, 'Campaign ' || g, (ARRAY['ads','email','trade_show','webinar'])[1 + g % 4], 'USD', ARRAY['M' || (g % 3)]
    FROM generate_series(1, 20) g`.execute(db);
  await sql`
    INSERT INTO campaign_cost_lines (workspace_id, id, campaign_id, incurred_on, amount_minor, currency, category)
    SELECT ${workspaceId}, 'ccl_' || g, 'cam_' || (1 + g % 20), (now() - (g % ${DAYS}) * interval '1 day')::date, 10000 + g % 5000, 'USD', 'media'
    FROM generate_series(1, 2000) g`.execute(db);
  const chunk = 250_000;
  for (let from = 1; from <= contacts; from += chunk) {
    const to = Math.min(contacts, from + chunk - 1);
    await sql`
      INSERT INTO contacts (workspace_id, id, email, country, custom, created_at, updated_at, first_touch_at,
                            source_channel, source_campaign_id, source_set_at, lifecycle_stage)
      SELECT ${workspaceId}, 'ctc_' || lpad(g::text, 9, '0'), 'p' || g || '@bench.example',
             (ARRAY['DE','FR','CN','US'])[1 + g % 4], '{}'::jsonb, now(), now(),
             now() - ((g * 13) % ${DAYS}) * interval '1 day',
             (${arr(SOURCES)})[1 + (g * 7) % 8], CASE WHEN g % 3 = 0 THEN 'cam_' || (1 + g % 20) END, now(),
             (ARRAY['lead','lead','lead','mql','mql','sql','opportunity','customer'])[1 + (g * 11) % 8]
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`contacts ${to.toLocaleString('en-US')}`);
  }
  for (let m = 0; m <= Math.ceil(DAYS / 30) + 2; m++)
    await sql`SELECT tandem_ensure_touch_partition((date_trunc('month', now()) - ${m} * interval '1 month')::date)`.execute(
      db,
    );
  const tChunk = 1_000_000;
  for (let from = 1; from <= touches; from += tChunk) {
    const to = Math.min(touches, from + tChunk - 1);
    await sql`
      INSERT INTO touches (workspace_id, id, occurred_at, contact_id, campaign_id, type, direction, channel, metadata)
      SELECT ${workspaceId}, 'tch_' || lpad(g::text, 10, '0'),
             now() - ((g::bigint * 7919) % (${DAYS}::bigint * 86400)) * interval '1 second',
             'ctc_' || lpad((1 + (g::bigint * 104729) % ${contacts})::text, 9, '0'),
             CASE WHEN g % 3 = 0 THEN 'cam_' || (1 + g % 20) END,
             (${arr(TYPES)})[1 + (g * 31) % ${TYPES.length}], 'marketing',
             (${arr(SOURCES)})[1 + g % 8], '{}'::jsonb
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`touches ${to.toLocaleString('en-US')}`);
  }
  const deals = Math.floor(contacts / 10);
  const stage = (key: string) =>
    sql`(SELECT id FROM pipeline_stages WHERE workspace_id = ${workspaceId} AND pipeline_id = ${pipeline.id} AND key = ${key})`;
  await sql`
    INSERT INTO deals (workspace_id, id, pipeline_id, stage_id, name, contact_id, amount_minor, currency,
                       won_at, lost_at, created_at, stage_changed_at, custom, products)
    SELECT ${workspaceId}, 'deal_' || g, ${pipeline.id},
           CASE WHEN g % 10 < 3 THEN ${stage('won')} WHEN g % 10 < 5 THEN ${stage('lost')} ELSE ${stage('qualified')} END,
           'Deal ' || g, 'ctc_' || lpad((g * 10)::text, 9, '0'), 100000 + (g * 37) % 900000, 'USD',
           CASE WHEN g % 10 < 3 THEN least(now(), now() - ((g * 13) % ${DAYS}) * interval '1 day' + interval '40 days') END,
           CASE WHEN g % 10 BETWEEN 3 AND 4 THEN least(now(), now() - ((g * 13) % ${DAYS}) * interval '1 day' + interval '30 days') END,
           now() - ((g * 13) % ${DAYS}) * interval '1 day', now(), '{}'::jsonb, '[]'::jsonb
    FROM generate_series(1, ${deals}) g`.execute(db);
  await sql`
    INSERT INTO deal_stage_history (workspace_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, at)
    SELECT workspace_id, 'dsh_' || id, id, pipeline_id, NULL, stage_id, coalesce(won_at, lost_at, created_at)
    FROM deals WHERE workspace_id = ${workspaceId}`.execute(db);
  log(`deals ${deals.toLocaleString('en-US')}`);
  await sql`VACUUM ANALYZE`.execute(db);
  return { workspaceId, deals };
}

export interface BenchOptions {
  runs?: number;
  /** Leave the generated database in place and print where it is (for `reuse`). */
  keep?: boolean;
  /** Measure on a database kept by an earlier run (a PostgreSQL database name or a PGlite folder). */
  reuse?: string;
  /** Only these reports (default all three). */
  only?: readonly ('funnel' | 'attribution' | 'forecast')[];
}

/** The bench workspace of a kept database and its sizes. */
async function existing(rt: Runtime) {
  const ws = await rt.ctx.db
    .selectFrom('workspaces')
    .select('id')
    .where('name', '=', 'Reports bench')
    .executeTakeFirstOrThrow();
  const count = async (t: 'contacts' | 'touches' | 'deals') =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(t)} WHERE workspace_id = ${ws.id}`.execute(rt.ctx.db)
      ).rows[0]?.n,
    );
  return {
    workspaceId: ws.id,
    contacts: await count('contacts'),
    touches: await count('touches'),
    deals: await count('deals'),
  };
}

export async function benchReports(
  engine: Engine,
  contacts: number,
  touches: number,
  opts: BenchOptions = {},
): Promise<ReportFigures> {
  const runs = opts.runs ?? 5;
  const only = new Set(opts.only ?? ['funnel', 'attribution', 'forecast']);
  const log = (s: string) => process.stderr.write(`[reports ${engine}] ${s}\n`);
  const pgUrl = benchServerUrl();
  const store = opts.reuse ? keptStore(engine, pgUrl, opts.reuse) : await newStore(engine, pgUrl);
  const rt = await openStore(store);
  try {
    let gen: { ms: number; value: { workspaceId: string; deals: number } };
    if (opts.reuse) {
      const e = await existing(rt);
      contacts = e.contacts;
      touches = e.touches;
      gen = { ms: Number.NaN, value: e };
      log(
        `reusing ${opts.reuse}: ${contacts.toLocaleString('en-US')} contacts, ${touches.toLocaleString('en-US')} touches`,
      );
    } else {
      log(
        `generating ${contacts.toLocaleString('en-US')} contacts and ${touches.toLocaleString('en-US')} touches…`,
      );
      gen = await timed(() => generate(rt, contacts, touches, log));
      if (opts.keep) log(`kept: --reuse ${keptName(store)}`);
    }
    const ws = gen.value.workspaceId;
    const none = { samples: [] as number[] };
    const now = new Date();
    const yearAgo = new Date(now.getTime() - 365 * 86_400_000).toISOString();
    const q = (extra: Record<string, unknown>) =>
      reportQuerySchema.parse({ from: yearAgo, to: now.toISOString(), ...extra });
    log('measuring funnel…');
    const funnel = only.has('funnel')
      ? await sample(runs, () => runReport(rt.ctx, ws, 'funnel', q({ by: ['source', 'month'] })), 1)
      : none;
    log('measuring attribution…');
    const attribution = only.has('attribution')
      ? await sample(runs, () => runReport(rt.ctx, ws, 'attribution', q({ by: ['channel'] })), 1)
      : none;
    log('measuring forecast…');
    const forecast = only.has('forecast')
      ? await sample(runs, () => runReport(rt.ctx, ws, 'forecast', q({})), 1)
      : none;
    return {
      engine,
      contacts,
      touches,
      deals: gen.value.deals,
      generateMs: gen.ms,
      funnel: stats(funnel.samples),
      attribution: stats(attribution.samples),
      forecast: stats(forecast.samples),
      server: await serverSettings(rt),
    };
  } finally {
    await rt.close();
    if (!opts.keep && !opts.reuse) await store.drop();
  }
}

export function reportsTable(results: ReportFigures[]): string {
  return table(
    ['reports (ms)', ...results.map((r) => `${r.engine} ${r.contacts / 1000}k`)],
    [
      ['server', ...results.map((r) => r.server)],
      ['contacts', ...results.map((r) => r.contacts)],
      ['touches', ...results.map((r) => r.touches)],
      ['deals', ...results.map((r) => r.deals)],
      ['generation with SQL (s)', ...results.map((r) => r.generateMs / 1000)],
      ['funnel by source × month p50', ...results.map((r) => r.funnel.p50)],
      ['six attribution models, 1 year p50', ...results.map((r) => r.attribution.p50)],
      ['forecast + backtest p50', ...results.map((r) => r.forecast.p50)],
    ],
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      contacts: { type: 'string' },
      touches: { type: 'string' },
      runs: { type: 'string', default: '5' },
      /** Keep the generated database and print its name for --reuse. */
      keep: { type: 'boolean', default: false },
      /** Measure on a kept database (name on PostgreSQL, folder on PGlite); nothing generated or dropped. */
      reuse: { type: 'string' },
      /** Comma-separated subset: funnel,attribution,forecast. */
      only: { type: 'string' },
    },
  });
  const engine = values.engine as Engine;
  const contacts = Number(values.contacts ?? (engine === 'postgres' ? 1_000_000 : 100_000));
  const touches = Number(values.touches ?? contacts * 10);
  const only = values.only?.split(',') as BenchOptions['only'];
  const figures = await benchReports(engine, contacts, touches, {
    runs: Number(values.runs),
    keep: values.keep,
    reuse: values.reuse,
    only,
  });
  console.log(reportsTable([figures]));
}
