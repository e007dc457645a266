import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Engine, testEnv } from '../src/server/config.ts';
import { generateDemo } from '../src/server/demo/demo.generator.ts';
import { analyze } from '../src/server/demo/demo.repo.ts';
import { Rng } from '../src/server/demo/demo.rng.ts';
import { createContact, listContacts } from '../src/server/modules/contacts/contacts.service.ts';
import type { Actor } from '../src/server/modules/workspaces/workspaces.policy.ts';
import type { Runtime } from '../src/server/runtime.ts';
import { cliImport, type IngestFigures, importFile, rawCopyMs, touchIngest } from './capture.bench.ts';
import { type DealFigures, dealFigures } from './deals.bench.ts';
import {
  adminActor,
  benchServerUrl,
  measureStartup,
  newStore,
  openStore,
  peakRssMiB,
  progress,
  ROOT,
  type Stats,
  sample,
  stats,
  table,
  timed,
  writeResults,
} from './lib.ts';
import { type QuoteFigures, quoteFigures } from './quotes.bench.ts';

/**
 * `npm run bench [-- --scale 100000 --engine pglite|postgres|both]`: builds a demo workspace at
 * scale on each engine, ANALYZEs, then measures start-up, contact create, search and list pages,
 * HTTP batch touch ingest, and a CSV import (`--import-rows`, default the scale) against a raw COPY
 * of the same file.
 * PostgreSQL runs when TANDEM_BENCH_DATABASE_URL or DATABASE_URL is set (a new database is created
 * there and dropped afterwards). Results: a table on stdout and bench/results/latest.json.
 */
const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: testEnv('TANDEM_BENCH_SCALE') ?? '100000' },
    engine: { type: 'string' },
    creates: { type: 'string', default: '300' },
    queries: { type: 'string', default: '200' },
    'import-rows': { type: 'string' },
    'touch-batches': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    /** `segments` or `scoring`: only that benchmark (bench/segments.bench.ts, bench/scoring.bench.ts). */
    suite: { type: 'string' },
    /** Internal: one engine per child process writes its result here (so peak RSS is its own). */
    out: { type: 'string' },
  },
});

if (args.suite === 'segments') {
  // PostgreSQL at 1,000,000 contacts / 10,000,000 touches, PGlite at 100,000 / 1,000,000.
  const { benchSegments, segmentsTable } = await import('./segments.bench.ts');
  const figures = [];
  if (benchServerUrl()) figures.push(await benchSegments('postgres', 1_000_000, 10_000_000));
  figures.push(await benchSegments('pglite', 100_000, 1_000_000));
  console.log(segmentsTable(figures));
  writeResults(path.join(ROOT, 'bench/results/segments.json'), { at: new Date().toISOString(), figures });
  process.exit(0);
}

if (args.suite === 'reports') {
  // PostgreSQL at 1,000,000 contacts / 10,000,000 touches / 100,000 deals, PGlite at 100,000.
  const { benchReports, reportsTable } = await import('./reports.bench.ts');
  const figures = [];
  if (benchServerUrl()) figures.push(await benchReports('postgres', 1_000_000, 10_000_000));
  figures.push(await benchReports('pglite', 100_000, 1_000_000));
  console.log(reportsTable(figures));
  writeResults(path.join(ROOT, 'bench/results/reports.json'), { at: new Date().toISOString(), figures });
  process.exit(0);
}

if (args.suite === 'scoring') {
  // PostgreSQL at 1,000,000 contacts, PGlite at 100,000 (one touch per contact each).
  const { benchScoring, scoringTable } = await import('./scoring.bench.ts');
  const figures = [];
  if (benchServerUrl()) figures.push(await benchScoring('postgres', 1_000_000));
  figures.push(await benchScoring('pglite', 100_000));
  console.log(scoringTable(figures));
  writeResults(path.join(ROOT, 'bench/results/scoring.json'), { at: new Date().toISOString(), figures });
  process.exit(0);
}

const scale = Number(args.scale);
const creates = Number(args.creates);
const queries = Number(args.queries);
const importRows = Number(args['import-rows'] ?? args.scale);
const touchBatches = Number(args['touch-batches']);
if (!Number.isInteger(scale) || scale < 100) throw new Error('--scale must be a whole number ≥ 100');
const pgUrl = benchServerUrl();
const engineArg = args.engine ?? (pgUrl ? 'both' : 'pglite');
if (!['pglite', 'postgres', 'both'].includes(engineArg))
  throw new Error('--engine must be pglite, postgres or both');
const engines: Engine[] = engineArg === 'both' ? ['pglite', 'postgres'] : [engineArg as Engine];
if (engines.includes('postgres') && !pgUrl) {
  throw new Error('--engine postgres needs TANDEM_BENCH_DATABASE_URL or DATABASE_URL');
}

interface EngineResult {
  engine: Engine;
  scale: number;
  generate: { ms: number; rowsPerSec: number };
  startup: { existingMs: number; newMs: number; serverRssMiB: number };
  create: Stats & { rowsPerSec: number };
  search: Stats;
  listFirst: Stats;
  listDeep: Stats & { position: number };
  touches: IngestFigures;
  quotes: QuoteFigures;
  deals: DealFigures;
  import: {
    rows: number;
    rawCopyMs: number;
    floorMs: number | null;
    ms: number;
    inserted: number;
    peakRssMiB: number;
  };
  peakRssMiB: number;
}

/** Search terms people type: name starts, e-mail fragments, company words, a Chinese surname. */
async function searchTerms(rt: Runtime, actor: Actor, n: number): Promise<string[]> {
  const rng = new Rng('bench-search');
  const page = await listContacts(rt.ctx, actor, { limit: 500, sort: 'name' });
  const terms: string[] = [];
  for (let i = 0; terms.length < n && i < n * 4; i++) {
    const c = rng.pick(page.items);
    const kind = rng.int(0, 4);
    if (kind === 0 && c.lastName) terms.push(c.lastName.slice(0, rng.int(2, 5)));
    else if (kind === 1 && c.email) terms.push(c.email.split('@')[0]!.slice(0, rng.int(3, 7)));
    else if (kind === 2 && c.email) terms.push(c.email.split('@')[1]!.split('.')[0]!);
    else if (kind === 3 && c.companyName) terms.push(c.companyName.split(' ')[0]!.toLowerCase());
    else if (c.firstName && c.lastName) terms.push(`${c.firstName} ${c.lastName}`);
  }
  return terms;
}

async function benchEngine(engine: Engine): Promise<EngineResult> {
  const log = (s: string) => process.stderr.write(`[${engine}] ${s}\n`);
  const store = await newStore(engine, pgUrl);
  const fresh = await newStore(engine, pgUrl);
  try {
    log(`generating a demo workspace with ${scale.toLocaleString('en-US')} contacts…`);
    let rt = await openStore(store);
    const gen = await timed(() =>
      rt.ctx.db
        .transaction()
        .execute((trx) =>
          generateDemo(
            trx,
            { workspaceName: 'Bench', contacts: scale, seed: 'bench' },
            { onProgress: (done, total, step) => progress(`[${engine}] ${step} ${done}/${total}`) },
          ),
        ),
    );
    progress('');
    const world = gen.value;
    const rows = Object.values(world.counts).reduce((s, x) => s + x, 0);
    await analyze(rt.ctx.db);
    log(
      `generated ${rows.toLocaleString('en-US')} rows in ${(gen.ms / 1000).toFixed(1)} s; measuring start-up…`,
    );
    await rt.close(); // the embedded database belongs to one process: let the server have it

    const where = store.databaseUrl ? { databaseUrl: store.databaseUrl } : { dataDir: store.dataDir! };
    const existing = [];
    for (let i = 0; i < 3; i++) existing.push(await measureStartup(where));
    const newWhere = fresh.databaseUrl ? { databaseUrl: fresh.databaseUrl } : { dataDir: fresh.dataDir! };
    const created = await measureStartup(newWhere);

    log('measuring contact create, search and list…');
    rt = await openStore(store);
    try {
      const actor = await adminActor(rt, world.workspaceId, `admin@${world.slug}.example`);
      const stamp = Date.now().toString(36);
      const create = await sample(creates, (i) =>
        createContact(rt.ctx, actor, {
          firstName: 'Bench',
          lastName: `Person ${i}`,
          email: `bench.${stamp}.${i}@bench-${engine}.example`,
          country: 'DE',
          tags: ['bench'],
        }),
      );

      const terms = await searchTerms(rt, actor, queries);
      const search = await sample(terms.length, (i) =>
        listContacts(rt.ctx, actor, { q: terms[Math.max(0, i)]! }),
      );

      const first = await sample(queries, () => listContacts(rt.ctx, actor, { limit: 50 }));

      // Walk to the middle of the list with large pages, then time 50-row pages from that cursor.
      let cursor: string | null = null;
      let position = 0;
      while (position < scale / 2) {
        const page: Awaited<ReturnType<typeof listContacts>> = await listContacts(rt.ctx, actor, {
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
        position += page.items.length;
      }
      const deepCursor = cursor ?? undefined;
      const deep = await sample(queries, () =>
        listContacts(rt.ctx, actor, { limit: 50, ...(deepCursor ? { cursor: deepCursor } : {}) }),
      );

      log(`measuring batch touch ingest over HTTP (${touchBatches} × 1,000)…`);
      const touches = await touchIngest(rt, world.workspaceId, actor.userId, touchBatches);
      log('measuring quotes: create, PDF, list…');
      const quotes = await quoteFigures(
        rt,
        actor,
        (await listContacts(rt.ctx, actor, { limit: 1 })).items[0]!.id,
        50,
      );
      log('measuring deals: create, move, board with converted sums…');
      const deals = await dealFigures(
        rt,
        actor,
        (await listContacts(rt.ctx, actor, { limit: 1 })).items[0]!.id,
        300,
      );
      await rt.close(); // `tandem import` runs as its own process on the same data

      log(`measuring a ${importRows.toLocaleString('en-US')}-row CSV import against raw COPY…`);
      const file = importFile(os.tmpdir(), importRows);
      const raw = await rawCopyMs(engine, store.databaseUrl, file);
      const imp = cliImport(where, 'Bench', file);
      rt = await openStore(store);

      const existingMs = existing.map((s) => s.ms).sort((a, b) => a - b)[1]!;
      return {
        engine,
        scale,
        generate: { ms: gen.ms, rowsPerSec: rows / (gen.ms / 1000) },
        startup: {
          existingMs,
          newMs: created.ms,
          serverRssMiB: Math.max(...existing.map((s) => s.rssMiB), created.rssMiB),
        },
        create: { ...stats(create.samples), rowsPerSec: creates / (create.totalMs / 1000) },
        search: stats(search.samples),
        listFirst: stats(first.samples),
        listDeep: { ...stats(deep.samples), position },
        touches,
        quotes,
        deals,
        import: {
          rows: importRows,
          rawCopyMs: raw.copyMs,
          floorMs: raw.floorMs,
          ms: imp.ms,
          inserted: imp.inserted,
          peakRssMiB: imp.peakRssMiB,
        },
        peakRssMiB: peakRssMiB(),
      };
    } finally {
      await rt.close();
    }
  } finally {
    if (!args.keep) {
      await store.drop();
      await fresh.drop();
    } else {
      log(`kept ${store.dataDir ?? store.databaseUrl}`);
    }
  }
}

/** Each engine runs in its own process, so its peak memory is its own. */
function runChild(engine: Engine): EngineResult {
  const out = path.join(os.tmpdir(), `tandem-bench-${process.pid}-${engine}.json`);
  const argv = [fileURLToPath(import.meta.url), '--engine', engine, '--scale', String(scale), '--out', out];
  argv.push('--creates', String(creates), '--queries', String(queries), ...(args.keep ? ['--keep'] : []));
  argv.push('--import-rows', String(importRows), '--touch-batches', String(touchBatches));
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the ${engine} benchmark failed (exit ${r.status})`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as EngineResult;
  fs.rmSync(out, { force: true });
  return result;
}

if (args.out) {
  writeResults(args.out, await benchEngine(engines[0]!));
  process.exit(0);
}
const results: EngineResult[] = engines.map(runChild);

const head = ['measure', ...results.map((r) => r.engine)];
const row = (label: string, pick: (r: EngineResult) => number) => [label, ...results.map(pick)];
console.log(`\nTandem benchmarks: ${scale.toLocaleString('en-US')} contacts (ms unless noted)\n`);
console.log(
  table(head, [
    row('demo generation (s)', (r) => r.generate.ms / 1000),
    row('demo generation (rows/s)', (r) => r.generate.rowsPerSec),
    row('start-up, existing data', (r) => r.startup.existingMs),
    row('start-up, new data', (r) => r.startup.newMs),
    row('contact create p50', (r) => r.create.p50),
    row('contact create p99', (r) => r.create.p99),
    row('contact create (rows/s)', (r) => r.create.rowsPerSec),
    row('contact search p50', (r) => r.search.p50),
    row('contact search p99', (r) => r.search.p99),
    row('list first page p50', (r) => r.listFirst.p50),
    row('list first page p99', (r) => r.listFirst.p99),
    row('list deep page p50', (r) => r.listDeep.p50),
    row('list deep page p99', (r) => r.listDeep.p99),
    row('touch ingest, HTTP batches (touches/s)', (r) => r.touches.touchesPerSec),
    row('touch batch of 1,000 p50', (r) => r.touches.batchP50),
    row('touch batch of 1,000 p99', (r) => r.touches.batchP99),
    row('quote create, 10 lines p50', (r) => r.quotes.create.p50),
    row('quote create, 10 lines p99', (r) => r.quotes.create.p99),
    row('quote PDF, Chinese p50', (r) => r.quotes.pdf.p50),
    row('quote PDF, Chinese p99', (r) => r.quotes.pdf.p99),
    row('quote PDF size (KB)', (r) => r.quotes.pdf.bytes / 1024),
    row('quotes list page p50', (r) => r.quotes.list.p50),
    row('deal create p50', (r) => r.deals.create.p50),
    row('deal move p50', (r) => r.deals.move.p50),
    row('board (300 deals, 3 currencies) p50', (r) => r.deals.board.p50),
    row('board (300 deals, 3 currencies) p99', (r) => r.deals.board.p99),
    row('CSV import rows', (r) => r.import.rows),
    row('raw COPY, bare table (rows/s)', (r) => r.import.rows / (r.import.rawCopyMs / 1000)),
    row('raw COPY + INSERT into unindexed contacts (rows/s)', (r) =>
      r.import.floorMs === null
        ? Number.NaN
        : r.import.rows / ((r.import.rawCopyMs + r.import.floorMs) / 1000),
    ),
    row('tandem import (rows/s)', (r) => r.import.rows / (r.import.ms / 1000)),
    row('import ÷ raw COPY (%)', (r) => (100 * r.import.rawCopyMs) / r.import.ms),
    row('import peak RSS (MiB)', (r) => r.import.peakRssMiB),
    row('server RSS after start (MiB)', (r) => r.startup.serverRssMiB),
    row('bench peak RSS (MiB)', (r) => r.peakRssMiB),
  ]),
);
const file = path.join(ROOT, 'bench/results/latest.json');
writeResults(file, {
  at: new Date().toISOString(),
  node: process.version,
  scale,
  creates,
  queries,
  results,
});
console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
process.exit(0);
