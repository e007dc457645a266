import fs from 'node:fs';
import type { Command } from 'commander';
import {
  type DataOpts,
  dataOption,
  out,
  resolveWorkspace,
  UsageError,
  withData,
  workspaceOption,
} from '../../cli.common.ts';
import { ValidationError } from '../../lib/errors.ts';

/**
 * `tandem segment count FILE.json [--workspace W]`: the number of live contacts a definition (the
 * same JSON the API takes: the definition itself, or `{ "definition": … }`) matches in a workspace.
 * For scripts and support; a bad definition prints the path of the bad condition and exits 2.
 */
async function runCount(file: string, o: DataOpts & { workspace?: string; json?: boolean }) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      e.code === 'ENOENT' ? `no such file: ${file}` : `${file} is not valid JSON: ${e.message}`,
    );
  }
  const definition =
    parsed && typeof parsed === 'object' && 'definition' in parsed
      ? (parsed as { definition: unknown }).definition
      : parsed;
  const { compileSegmentCondition } = await import('./segments.compile.ts');
  const repo = await import('./segments.repo.ts');
  await withData(o, async (dbh) => {
    const ws = await resolveWorkspace(dbh.db, o.workspace);
    if (!ws) throw new UsageError('there is no workspace yet: add a user first (tandem user add)');
    // The definition error's message already names the path and the problem: print it once.
    const cond = await compileSegmentCondition(dbh.db, ws.id, definition).catch((err: unknown) => {
      throw err instanceof ValidationError ? new UsageError(err.message) : err;
    });
    const { sql } = await import('kysely');
    const count = await repo.countMatching(dbh.db, ws.id, cond, sql<boolean>`true`);
    out(o.json ? JSON.stringify({ workspace: ws.name, count }) : String(count));
  });
}

export function registerSegmentCommands(program: Command): void {
  const segment = program.command('segment').description('segments');
  segment
    .command('count')
    .description('print how many contacts a segment definition (JSON file) matches')
    .argument('<file>', 'the definition as JSON (as the API takes it)')
    .option(...workspaceOption)
    .option('--json', 'print {"workspace","count"} as JSON')
    .option(...dataOption)
    .action(runCount);
}
