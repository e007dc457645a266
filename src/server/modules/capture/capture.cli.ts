import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { MEMBER_STATUSES, type MemberStatus } from '../../../contracts/campaigns.ts';
import {
  commandContext,
  type DataOpts,
  dataOption,
  out,
  resolveWorkspace,
  UsageError,
  withData,
  workspaceOption,
} from '../../cli.common.ts';
import type { DbHandle } from '../../db/client.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import type { ImportEntity } from './capture.mapping.ts';

/**
 * `tandem import` and `tandem export`. An import killed mid-way resumes when the same command runs
 * again (same workspace, entity and file): every row lands exactly once.
 */
const ENTITIES: ImportEntity[] = ['contacts', 'companies', 'touches', 'deals'];

interface ImportOpts extends DataOpts {
  map: string[];
  set: string[];
  dedupe: string;
  campaign?: string;
  memberStatus?: string;
  tag: string[];
  dryRun?: boolean;
  validOnly?: boolean;
  dateOrder?: string;
  json?: boolean;
  workspace?: string;
  as?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function pairs(flag: string, items: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of items) {
    const i = item.lastIndexOf('=');
    if (i <= 0) throw new UsageError(`${flag} ${item}: expected COLUMN=field`);
    result[item.slice(0, i)] = item.slice(i + 1);
  }
  return result;
}

function memberStatusOf(raw: string): MemberStatus {
  const status = MEMBER_STATUSES.find((s) => s === raw);
  if (!status) throw new UsageError(`--member-status ${raw}: use ${MEMBER_STATUSES.join(', ')}`);
  return status;
}

function entityOf(raw: string): ImportEntity {
  if (!ENTITIES.includes(raw as ImportEntity))
    throw new UsageError(`unknown entity "${raw}": use ${ENTITIES.join(', ')}`);
  return raw as ImportEntity;
}

/** The CLI acts as a workspace admin: the one named with --as, or the first active admin (lifecycle.cli.ts too). */
export async function cliActor(
  dbh: DbHandle,
  workspace: string | undefined,
  as: string | undefined,
): Promise<Actor> {
  const ws = await resolveWorkspace(dbh.db, workspace);
  if (!ws) throw new UsageError('there is no workspace yet: add a user first (tandem user add)');
  let q = dbh.db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', ws.id)
    .where('active', '=', true)
    .where('role', '=', 'admin');
  if (as) q = q.where((eb) => eb(eb.fn('lower', ['email']), '=', as.toLowerCase()));
  const user = await q.orderBy('created_at').executeTakeFirst();
  if (!user)
    throw new UsageError(
      as ? `no active admin ${as} in workspace "${ws.name}"` : 'the workspace has no active admin',
    );
  return {
    workspaceId: ws.id,
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    timeZone: user.time_zone,
    teamIds: [],
    via: 'token',
    sessionId: null,
  };
}

async function runImportCommand(entityRaw: string, file: string, o: ImportOpts): Promise<void> {
  // A streamed import keeps ~40 MB live but throws away ~10 KB per row; V8 let the old generation
  // grow to four times the live set between full collections, so the peak RSS (273–320 MiB at
  // 100k rows) wandered over the 300 MiB budget. Growing by half keeps it near 200 MiB whatever
  // the file size, for a few more 10 ms collections.
  v8.setFlagsFromString('--heap-growing-percent=50');
  const entity = entityOf(entityRaw);
  if (!['skip', 'update', 'create'].includes(o.dedupe))
    throw new UsageError(`--dedupe ${o.dedupe}: use skip, update or create`);
  if (o.dateOrder && !['DMY', 'MDY'].includes(o.dateOrder))
    throw new UsageError(`--date-order ${o.dateOrder}: use DMY or MDY`);
  const map = pairs('--map', o.map);
  const set = pairs('--set', o.set);
  if (!fs.existsSync(file)) throw new UsageError(`no file ${file}`);
  const { createImport, runImport } = await import('./capture.service.ts');
  const repo = await import('./capture.repo.ts');
  await withData(o, async (dbh, config) => {
    // No workers: the import runs here, in this process, with a progress bar.
    const ctx = await commandContext(dbh, config);
    const actor = await cliActor(dbh, o.workspace, o.as);
    const resolved = path.resolve(file);
    const unfinished = (await repo.listImports(dbh.db, actor.workspaceId, 50)).find(
      (i) =>
        ['pending', 'staging', 'merging'].includes(i.status) &&
        i.entity === entity &&
        i.file_path === resolved,
    );
    const importId =
      unfinished?.id ??
      (await createImport(ctx, actor, {
        entity,
        filePath: resolved,
        map,
        set,
        dedupe: o.dedupe as 'skip' | 'update' | 'create',
        mode: o.validOnly ? 'valid' : 'all',
        dryRun: Boolean(o.dryRun),
        tags: o.tag,
        ...(o.campaign ? { campaignId: o.campaign } : {}),
        ...(o.memberStatus ? { memberStatus: memberStatusOf(o.memberStatus) } : {}),
        ...(o.dateOrder ? { dateOrder: o.dateOrder as 'DMY' | 'MDY' } : {}),
      }));
    if (unfinished)
      process.stderr.write(`Resuming import ${importId} after row ${unfinished.staged_through}\n`);
    const tty = process.stderr.isTTY;
    const bar = new SingleBar(
      {
        format: 'import [{bar}] {percentage}% | {rows} rows | {rejected} rejected | {duration_formatted}',
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    if (tty) bar.start(100, 0, { rows: 0, rejected: 0 });
    const result = await runImport(ctx, actor.workspaceId, importId, (p) => {
      const pct = p.file_bytes ? Math.min(99, Math.round((100 * p.bytes_read) / p.file_bytes)) : 0;
      if (tty) bar.update(pct, { rows: p.rows_seen, rejected: p.rejected });
      else process.stderr.write(`staged ${p.rows_seen} rows (${pct}%), ${p.rejected} rejected\n`);
    });
    if (tty) bar.stop();
    const summary = {
      id: result.id,
      status: result.status,
      rows: result.rows_seen,
      inserted: result.inserted,
      updated: result.updated,
      skipped: result.skipped,
      rejected: result.rejected,
      error: result.error,
      /** Peak memory of this process: the benchmark reads it (imports stream in constant memory). */
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (o.json) out(JSON.stringify(summary));
    else {
      out(
        `${result.status}: ${result.rows_seen} rows, ${result.inserted} created, ${result.updated} updated, ` +
          `${result.skipped} skipped, ${result.rejected} rejected${result.error ? ` (${result.error})` : ''}`,
      );
      if (result.rejected) out(`Rejected rows: GET /api/imports/${result.id}/rejects, or the Imports page`);
    }
    if (result.status === 'failed') process.exitCode = 2;
  });
}

async function runExportCommand(
  entityRaw: string,
  o: DataOpts & { out?: string; workspace?: string; as?: string },
) {
  const entity = entityOf(entityRaw);
  const { exportCsv } = await import('./capture.export.ts');
  await withData(o, async (dbh, config) => {
    const ctx = await commandContext(dbh, config);
    const actor = await cliActor(dbh, o.workspace, o.as);
    const target: NodeJS.WritableStream = o.out ? fs.createWriteStream(o.out) : process.stdout;
    try {
      await pipeline(Readable.from(exportCsv(ctx, actor, entity)), target, { end: Boolean(o.out) });
    } catch (err) {
      // The reader went away (`tandem export contacts | head`): that ends the export, not an error.
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    }
  });
}

export function registerCaptureCommands(program: Command): void {
  program
    .command('import')
    .description(
      'import contacts, companies, touches or deals from a CSV or XLSX file (resumes if interrupted)',
    )
    .argument('<entity>', 'contacts, companies, touches or deals')
    .argument('<file>', 'the CSV or XLSX file')
    .option(
      '--map <column=field>',
      'map a column to a field (repeatable; field "" skips the column)',
      collect,
      [],
    )
    .option('--set <field=value>', 'set a field on every row (repeatable)', collect, [])
    .option('--dedupe <policy>', 'existing records: skip, update or create', 'skip')
    .option(
      '--campaign <id>',
      'link the rows to a campaign (contacts become members, touches and deals carry it)',
    )
    .option(
      '--member-status <status>',
      'status of imported contacts in the campaign (default: visited_booth for a trade show, else targeted)',
    )
    .option('--tag <tag>', 'tag every imported record (repeatable)', collect, [])
    .option('--dry-run', 'validate and count, write nothing')
    .option(
      '--valid-only',
      'import the valid rows and report the rest (default: any invalid row stops the import)',
    )
    .option('--date-order <order>', 'for NN/NN/YYYY dates: DMY or MDY')
    .option('--json', 'print the result as JSON')
    .option('--as <email>', 'the admin the import is recorded as (default: the first admin)')
    .option(...workspaceOption)
    .option(...dataOption)
    .action(runImportCommand);

  program
    .command('export')
    .description('export contacts, companies, touches or deals as CSV (the importer reads the headers back)')
    .argument('<entity>', 'contacts, companies, touches or deals')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--as <email>', 'the admin the export is recorded as (default: the first admin)')
    .option(...workspaceOption)
    .option(...dataOption)
    .action(runExportCommand);
}
