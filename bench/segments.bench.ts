import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { SegmentDefinition } from '../src/contracts/segments.ts';
import type { Engine } from '../src/server/config.ts';
import { listContacts } from '../src/server/modules/contacts/contacts.service.ts';
import { compileSegmentCondition } from '../src/server/modules/segments/segments.compile.ts';
import { countDefinition } from '../src/server/modules/segments/segments.service.ts';
import { createWorkspaceWithUser } from '../src/server/modules/workspaces/workspaces.service.ts';
import type { Runtime } from '../src/server/runtime.ts';
import {
  adminActor,
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
 * Segment benchmark: count and first page (50, newest first) of a segment with three field
 * conditions and one behavioural condition ("at least 2 email clicks in the last 90 days"), on a
 * workspace generated with SQL (generate_series INSERT … SELECT, then ANALYZE).
 * `node bench/segments.bench.ts [--engine postgres|pglite] [--contacts N] [--touches N]`, or
 * `npm run bench -- --suite segments` (PostgreSQL 1,000,000 / 10,000,000 and PGlite 100,000 / 1,000,000).
 */

export const BENCH_DEFINITION: SegmentDefinition = {
  kind: 'group',
  match: 'all',
  conditions: [
    { kind: 'field', field: 'country', op: 'in', value: ['DE', 'FR', 'CN'] },
    { kind: 'field', field: 'created_at', op: 'in_last', value: { amount: 365, unit: 'day' } },
    { kind: 'field', field: 'custom.budget', op: 'gte', value: 2000 },
    {
      kind: 'behaviour',
      touchTypes: ['email_click'],
      min: 2,
      period: { type: 'last', amount: 90, unit: 'day' },
    },
  ],
};

export interface SegmentFigures {
  engine: Engine;
  contacts: number;
  touches: number;
  generateMs: number;
  matches: number;
  count: Stats;
  firstPage: Stats;
  plan: string;
  server: string;
}

const COUNTRIES = ['DE', 'FR', 'CN', 'US', 'GB', 'IT', 'ES', 'JP', 'BR', 'IN'];
const TYPES = [
  'email_click',
  'email_open',
  'email_sent',
  'page_view',
  'content_view',
  'form_submit',
  'call',
  'meeting',
];
const DAYS = 730;
const ADMIN = 'admin@segments.example';

async function generate(rt: Runtime, contacts: number, touches: number, log: (s: string) => void) {
  const db = rt.ctx.db;
  const { workspaceId } = await db
    .transaction()
    .execute((trx) =>
      createWorkspaceWithUser(
        trx,
        'Segment bench',
        { email: 'admin@segments.example', name: 'Admin', password: 'correct horse battery', role: 'admin' },
        'bench',
      ),
    );
  await db
    .insertInto('custom_fields')
    .values({
      workspace_id: workspaceId,
      id: 'cf_budget',
      entity: 'contact',
      key: 'budget',
      label: 'Budget',
      type: 'number',
      options: JSON.stringify([]),
    })
    .execute();
  const countries = sql`${sql.raw(`ARRAY['${COUNTRIES.join("','")}']`)}`;
  const types = sql`${sql.raw(`ARRAY['${TYPES.join("','")}']`)}`;
  // Contacts in chunks (one statement each) so PGlite's memory stays flat.
  const chunk = 250_000;
  for (let from = 1; from <= contacts; from += chunk) {
    const to = Math.min(contacts, from + chunk - 1);
    await sql`
      INSERT INTO contacts (workspace_id, id, first_name, last_name, email, country, tags, custom, created_at, updated_at)
      SELECT ${workspaceId}, 'ctc_' || lpad(g::text, 9, '0'), 'First' || (g % 5000), 'Last' || (g % 7919),
             'p' || g || '@bench.example', (${countries})[1 + (g * 7) % 10],
             CASE WHEN g % 7 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END,
             jsonb_build_object('budget', (g * 37) % 10000),
             now() - ((g * 13) % ${DAYS}) * interval '1 day', now()
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`contacts ${to.toLocaleString('en-US')}`);
  }
  const months = Math.ceil(DAYS / 30) + 2;
  for (let m = 0; m <= months; m++) {
    await sql`SELECT tandem_ensure_touch_partition((date_trunc('month', now()) - ${m} * interval '1 month')::date)`.execute(
      db,
    );
  }
  const tChunk = 1_000_000;
  for (let from = 1; from <= touches; from += tChunk) {
    const to = Math.min(touches, from + tChunk - 1);
    // Spread over contacts with a multiplicative hash; times spread over two years.
    await sql`
      INSERT INTO touches (workspace_id, id, occurred_at, contact_id, type, direction, channel, metadata)
      SELECT ${workspaceId}, 'tch_' || lpad(g::text, 10, '0'),
             now() - ((g::bigint * 7919) % (${DAYS}::bigint * 86400)) * interval '1 second',
             'ctc_' || lpad((1 + (g::bigint * 104729) % ${contacts})::text, 9, '0'),
             (${types})[1 + (g * 31) % ${TYPES.length}], 'marketing', NULL, '{}'::jsonb
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    log(`touches ${to.toLocaleString('en-US')}`);
  }
  // VACUUM too, as autovacuum would after a bulk load: it sets the visibility map, without which
  // the touches index cannot serve the behavioural condition index-only.
  await sql`VACUUM ANALYZE`.execute(db);
  return adminActor(rt, workspaceId, ADMIN);
}

export async function benchSegments(
  engine: Engine,
  contacts: number,
  touches: number,
  runs = 20,
  opts: { keep?: boolean; reuse?: string | undefined } = {},
): Promise<SegmentFigures> {
  const log = (s: string) => process.stderr.write(`[segments ${engine}] ${s}\n`);
  const pgUrl = benchServerUrl();
  const store = opts.reuse ? keptStore(engine, pgUrl, opts.reuse) : await newStore(engine, pgUrl);
  const rt = await openStore(store);
  try {
    log(
      `generating ${contacts.toLocaleString('en-US')} contacts and ${touches.toLocaleString('en-US')} touches with SQL…`,
    );
    const gen = await timed(async () => {
      if (!opts.reuse) return generate(rt, contacts, touches, log);
      const ws = await rt.ctx.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
      return adminActor(rt, ws.id, ADMIN);
    });
    const actor = gen.value;
    const matches = await countDefinition(rt.ctx, actor, BENCH_DEFINITION);
    const cond = await compileSegmentCondition(rt.ctx.db, actor.workspaceId, BENCH_DEFINITION);
    const explained = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ANALYZE SELECT count(*) FROM contacts
      WHERE contacts.workspace_id = ${actor.workspaceId} AND contacts.deleted_at IS NULL AND ${cond}`.execute(
      rt.ctx.db,
    );
    const plan = explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    log(`${matches} contacts match; measuring…`);
    const count = await sample(runs, () => countDefinition(rt.ctx, actor, BENCH_DEFINITION), 2);
    const page = await sample(
      runs,
      async () => {
        const c = await compileSegmentCondition(rt.ctx.db, actor.workspaceId, BENCH_DEFINITION);
        return listContacts(rt.ctx, actor, { limit: 50 }, c);
      },
      2,
    );
    return {
      engine,
      contacts,
      touches,
      generateMs: gen.ms,
      matches,
      count: stats(count.samples),
      firstPage: stats(page.samples),
      plan,
      server: await serverSettings(rt),
    };
  } finally {
    await rt.close();
    // --keep leaves the database for EXPLAIN experiments (drop it afterwards: the disk is shared).
    if (opts.keep || opts.reuse) log(`kept: --reuse ${keptName(store)}`);
    else await store.drop();
  }
}

export function segmentsTable(results: SegmentFigures[]): string {
  return table(
    ['segment (3 fields + ≥2 clicks in 90 days)', ...results.map((r) => `${r.engine} ${r.contacts / 1000}k`)],
    [
      ['server', ...results.map((r) => r.server)],
      ['contacts', ...results.map((r) => r.contacts)],
      ['touches', ...results.map((r) => r.touches)],
      ['generation with SQL (s)', ...results.map((r) => r.generateMs / 1000)],
      ['matching contacts', ...results.map((r) => r.matches)],
      ['count p50', ...results.map((r) => r.count.p50)],
      ['count p99', ...results.map((r) => r.count.p99)],
      ['first page p50', ...results.map((r) => r.firstPage.p50)],
      ['first page p99', ...results.map((r) => r.firstPage.p99)],
    ],
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      contacts: { type: 'string' },
      touches: { type: 'string' },
      runs: { type: 'string', default: '20' },
      plan: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
    },
  });
  const engine = values.engine as Engine;
  const contacts = Number(values.contacts ?? (engine === 'postgres' ? 1_000_000 : 100_000));
  const touches = Number(values.touches ?? contacts * 10);
  const r = await benchSegments(engine, contacts, touches, Number(values.runs), {
    keep: values.keep,
    reuse: values.reuse,
  });
  if (values.plan) console.log(r.plan);
  console.log(segmentsTable([r]));
  process.exit(0);
}
