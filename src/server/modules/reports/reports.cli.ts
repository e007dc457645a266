import type { Command } from 'commander';
import { REPORT_NAMES, reportNameSchema, reportQuerySchema } from '../../../contracts/reports.ts';

/** The last day a period [from, to) covers, as `--to` takes it (a date includes that whole day). */
const lastDay = (to: string) => new Date(Date.parse(to) - 1).toISOString().slice(0, 10);

import {
  check,
  commandContext,
  type DataOpts,
  dataOption,
  out,
  resolveWorkspace,
  UsageError,
  withData,
  workspaceOption,
} from '../../cli.common.ts';

/**
 * `tandem report <name> [--by DIM]... [--from DATE] [--to DATE] [--format table|csv|json]`: the
 * same service and query contract as `GET /api/reports/:name`, so the CLI prints the figures the
 * web shows.
 */
interface ReportOpts extends DataOpts {
  by: string[];
  from?: string;
  to?: string;
  mode?: string;
  halfLife?: string;
  format: string;
  workspace?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '');
  return v;
}

async function runReportCommand(rawName: string, o: ReportOpts): Promise<void> {
  const name = check('report', reportNameSchema, rawName);
  if (!['table', 'csv', 'json'].includes(o.format))
    throw new UsageError('--format must be table, csv or json');
  const r = reportQuerySchema.safeParse({
    by: o.by,
    from: o.from,
    to: o.to,
    mode: o.mode,
    halfLifeDays: o.halfLife,
  });
  if (!r.success) {
    const issue = r.error.issues[0];
    const flag =
      String(issue?.path[0] ?? '') === 'halfLifeDays' ? 'half-life' : String(issue?.path[0] ?? 'query');
    throw new UsageError(`--${flag} ${issue?.message ?? 'is invalid'}`);
  }
  const { runReport, reportCsv } = await import('./reports.service.ts');
  await withData(o, async (dbh, config) => {
    const ws = await resolveWorkspace(dbh.db, o.workspace);
    if (!ws) throw new UsageError('there is no workspace yet: add a user first (tandem user add)');
    const ctx = await commandContext(dbh, config);
    const table = await runReport(ctx, ws.id, name, r.data);
    if (o.format === 'json') return out(JSON.stringify(table));
    if (o.format === 'csv') return process.stdout.write(reportCsv(table));
    const keys = table.columns.map((c) => c.key);
    const rows = [keys, ...table.rows.map((row) => keys.map((k) => cell(row[k])))];
    const widths = keys.map((_, i) => Math.max(...rows.map((x) => (x[i] ?? '').length)));
    out(`${name} ${table.from.slice(0, 10)} – ${lastDay(table.to)} (money in ${table.currency} minor units)`);
    for (const row of rows)
      out(
        row
          .map((c, i) =>
            table.columns[i]?.kind === 'dim' ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0),
          )
          .join('  ')
          .trimEnd(),
      );
  });
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description(`print a report: ${REPORT_NAMES.join(', ')}`)
    .argument('<name>', REPORT_NAMES.join(' | '))
    .option(
      '--by <dim>',
      'break down by a dimension (repeatable): source, campaign, channel, country, market, owner, team, product, segment, month',
      collect,
      [],
    )
    .option('--from <date>', 'start of the period (YYYY-MM-DD or ISO date-time, UTC)')
    .option('--to <date>', 'end of the period (a date includes that whole day)')
    .option('--mode <mode>', 'funnel: cohort (default) or period')
    .option('--half-life <days>', 'attribution: time-decay half-life in days (default 7)')
    .option('--format <format>', 'table, csv or json', 'table')
    .option(...workspaceOption)
    .option(...dataOption)
    .action(runReportCommand);
}
