import type { Command } from 'commander';
import type { NextActionDto } from '../../../contracts/lifecycle.ts';
import type { ScoreReason } from '../../../contracts/scoring.ts';
import {
  commandContext,
  type DataOpts,
  dataOption,
  out,
  UsageError,
  withData,
  workspaceOption,
} from '../../cli.common.ts';
import type { DbHandle } from '../../db/client.ts';

/**
 * `tandem contact show <email|id> [--json] [--workspace W]`: one contact's score with the rules
 * that fired (points and decay), temperature, stage, owner, touch count and next best action. It
 * reads through the same services as `GET /api/contacts/:id/score` and `/lifecycle`, acting as the
 * workspace's first active admin, so the figures are the ones the web shows.
 */
interface ShowOpts extends DataOpts {
  workspace?: string;
  json?: boolean;
}

async function runShow(who: string, o: ShowOpts): Promise<void> {
  const key = who.trim();
  if (!key) throw new UsageError('name a contact by e-mail or id');
  const { cliActor } = await import('../capture/capture.cli.ts');
  const { findLiveIdByEmail } = await import('../contacts/contacts.repo.ts');
  const { explainScore } = await import('../scoring/scoring.service.ts');
  const { contactLifecycle } = await import('./lifecycle.leads.ts');
  const { NotFoundError } = await import('../../lib/errors.ts');
  await withData(o, async (dbh, config) => {
    const actor = await cliActor(dbh, o.workspace, undefined);
    const ctx = await commandContext(dbh, config);
    const id = key.includes('@') ? await findLiveIdByEmail(dbh.db, actor.workspaceId, key) : key;
    const shown = id
      ? await Promise.all([contactLifecycle(ctx, actor, id), explainScore(ctx, actor.workspaceId, id)]).catch(
          (err: unknown) => {
            if (err instanceof NotFoundError) return null;
            throw err;
          },
        )
      : null;
    if (!shown)
      throw new UsageError(`no contact ${key} in workspace "${await wsName(dbh, actor.workspaceId)}"`);
    const [life, score] = shown;
    const result: Shown = {
      score: score.score,
      temperature: score.temperature,
      stage: life.stage,
      owner: life.ownerId ? { id: life.ownerId, name: life.ownerName } : null,
      touches: life.touches,
      nextAction: life.nextAction,
      reasons: score.reasons,
    };
    if (o.json) {
      out(JSON.stringify(result));
      return;
    }
    printTable(result, score.fit, score.engagement, score.decay, score.halfLifeDays);
  });
}

async function wsName(dbh: DbHandle, id: string): Promise<string> {
  const ws = await dbh.db.selectFrom('workspaces').select('name').where('id', '=', id).executeTakeFirst();
  return ws?.name ?? id;
}

/** What `--json` prints: exactly these keys (the issue names them). */
interface Shown {
  score: number;
  temperature: string;
  stage: string;
  owner: { id: string; name: string | null } | null;
  touches: number;
  nextAction: NextActionDto | null;
  reasons: ScoreReason[];
}

function printTable(r: Shown, fit: number, engagement: number, decay: number, halfLife: number): void {
  const action = r.nextAction
    ? `${r.nextAction.title}${r.nextAction.dueAt ? ` (due ${r.nextAction.dueAt})` : ''} [${r.nextAction.source}]`
    : '-';
  const facts: [string, string][] = [
    ['Score', `${r.score} (fit ${fit}, engagement ${engagement}, decay -${decay}, half-life ${halfLife} d)`],
    ['Temperature', r.temperature],
    ['Stage', r.stage],
    ['Owner', r.owner ? (r.owner.name ?? r.owner.id) : '-'],
    ['Touches', String(r.touches)],
    ['Next action', action],
  ];
  const w = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out(`${k.padEnd(w)}  ${v}`);
  out('');
  if (r.reasons.length === 0) {
    out('No scoring rule fired.');
    return;
  }
  const rows = [
    ['Kind', 'Rule', 'Points', 'After decay', 'Touches'],
    ...r.reasons.map((x) => [
      x.kind,
      x.label,
      String(x.points),
      x.decayedPoints === undefined ? '' : String(x.decayedPoints),
      x.touches === undefined ? '' : String(x.touches),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows)
    out(
      row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

export function registerLifecycleCommands(program: Command): void {
  const contact = program.command('contact').description('contacts');
  contact
    .command('show')
    .description("print a contact's score explained, temperature, stage, owner, touches and next best action")
    .argument('<contact>', 'e-mail address or contact id')
    .option(...workspaceOption)
    .option('--json', 'print {score, temperature, stage, owner, touches, nextAction, reasons} as JSON')
    .option(...dataOption)
    .action(runShow);
}
