import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { newId } from '../../lib/ids.ts';
import { parseMoney } from '../../lib/money.ts';
import { listPipelines, listStages, type StageRow } from '../deals/deals.pipelines.repo.ts';
import { ensureDefaultPipeline, readSettings } from '../deals/deals.pipelines.ts';
import { changeStage } from '../lifecycle/lifecycle.service.ts';
import { ensureTouchPartitions, writeTouches } from '../touches/touches.service.ts';
import * as dealsRepo from './capture.deals.repo.ts';
import type { ImportOptions, MergeCounts } from './capture.repo.ts';

/**
 * Deals in the generic importer. A row is checked against the workspace's pipelines and deal
 * settings while it is staged (pipeline, stage of that pipeline, amount in the row's currency, lost
 * reason, won/lost dates that agree with the stage); its contact is looked up before the merge, so
 * an unknown contact is a rejected row like any other. The merge writes deals, their contact links
 * and stage history, a `deal_won`/`deal_lost` touch per closed deal, and makes won deals' contacts
 * customers, all in the import's one transaction.
 */
export interface DealContext {
  pipelines: { id: string; name: string; isDefault: boolean; stages: StageRow[] }[];
  reportingCurrency: string;
  requireAmountOnWon: boolean;
  lostReasons: string[];
  /** When the rows are staged: a deal without dates was created (and, if won, won) then. */
  now: Date;
  timeZone: string;
}

export async function loadDealContext(ctx: AppContext, workspaceId: string, timeZone: string) {
  const now = ctx.clock.now();
  // A workspace that never opened the pipeline gets its default one, as the deals module does.
  await ctx.db.transaction().execute((trx) => ensureDefaultPipeline(trx, workspaceId, now));
  const pipelines = await listPipelines(ctx.db, workspaceId);
  const stages = await listStages(
    ctx.db,
    workspaceId,
    pipelines.map((p) => p.id),
  );
  const settings = await readSettings(ctx.db, workspaceId);
  return {
    pipelines: pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      isDefault: p.is_default,
      stages: stages.filter((s) => s.pipeline_id === p.id),
    })),
    reportingCurrency: settings.reportingCurrency,
    requireAmountOnWon: settings.requireAmountOnWon,
    lostReasons: settings.lostReasons,
    now,
    timeZone,
  } satisfies DealContext;
}

const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;

function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** Finishes a converted deal row in place, or records what is wrong with it (field: problem). */
export function finishDeal(data: Record<string, unknown>, problems: string[], d: DealContext): void {
  if (data['contact.email'] !== undefined) data.contactEmail = data['contact.email'];
  if (data['contact.external_id'] !== undefined) data.contactExternalId = data['contact.external_id'];
  delete data['contact.email'];
  delete data['contact.external_id'];

  let pipeline = d.pipelines.find((p) => p.isDefault) ?? d.pipelines[0];
  if (typeof data.pipeline === 'string') {
    const want = data.pipeline.toLowerCase();
    pipeline = d.pipelines.find((p) => p.name.toLowerCase() === want || p.id === data.pipeline);
    if (!pipeline) {
      problems.push(`pipeline: no pipeline named ${data.pipeline}`);
      return;
    }
  }
  if (!pipeline) {
    problems.push('pipeline: the workspace has no pipeline');
    return;
  }
  delete data.pipeline;
  const wonAt = data.wonAt as string | undefined;
  const lostAt = data.lostAt as string | undefined;
  let stage: StageRow | undefined;
  if (typeof data.stage === 'string') {
    const want = data.stage.toLowerCase();
    const matches = (s: StageRow) => s.key === want || s.name.toLowerCase() === want;
    stage = pipeline.stages.find(matches);
    if (!stage) {
      const other = d.pipelines.find((p) => p !== pipeline && p.stages.some(matches));
      problems.push(
        other
          ? `stage: ${data.stage} is a stage of pipeline ${other.name}, not of ${pipeline.name}`
          : `stage: ${data.stage} is not a stage of pipeline ${pipeline.name} (${pipeline.stages.map((s) => s.key).join(', ')})`,
      );
      return;
    }
  } else {
    const kind = wonAt ? 'won' : lostAt ? 'lost' : 'open';
    stage = pipeline.stages.find((s) => s.kind === kind);
  }
  if (!stage) {
    problems.push(`stage: pipeline ${pipeline.name} has no stage for this deal`);
    return;
  }
  delete data.stage;
  if (wonAt && stage.kind !== 'won') problems.push(`wonAt: is set but stage ${stage.key} is not won`);
  if (lostAt && stage.kind !== 'lost') problems.push(`lostAt: is set but stage ${stage.key} is not lost`);

  const currency = typeof data.currency === 'string' ? data.currency.toUpperCase() : d.reportingCurrency;
  if (!/^[A-Z]{3}$/.test(currency)) problems.push('currency: must be a 3-letter ISO code such as EUR');
  else if (typeof data.amount === 'string') {
    const text = THOUSANDS.test(data.amount) ? data.amount.replace(/,/g, '') : data.amount;
    try {
      const money = parseMoney(text, currency);
      if (money.amountMinor < 0n) problems.push('amount: must not be negative');
      else data.amountMinor = money.amountMinor.toString();
    } catch (err) {
      const fields = (err as { fields?: Record<string, string> }).fields;
      problems.push(`amount: ${fields?.amount ?? 'is not an amount'} (${data.amount})`);
    }
  }
  delete data.amount;
  data.currency = currency;
  if (stage.kind === 'won' && d.requireAmountOnWon && data.amountMinor === undefined && !problems.length)
    problems.push('amount: a won deal needs an amount in this workspace');

  if (typeof data.lostReason === 'string') {
    if (stage.kind !== 'lost') problems.push(`lostReason: is set but stage ${stage.key} is not lost`);
    else if (!d.lostReasons.includes(data.lostReason))
      problems.push(`lostReason: must be one of ${d.lostReasons.join(', ')}`);
  } else if (stage.kind === 'lost') {
    data.lostReason = d.lostReasons.includes('other') ? 'other' : d.lostReasons[0];
  }
  if (typeof data.expectedCloseOn === 'string')
    data.expectedCloseOn = localDate(data.expectedCloseOn, d.timeZone);

  const now = d.now.toISOString();
  data.createdAt ??= wonAt ?? lostAt ?? now;
  if (stage.kind === 'won') data.wonAt ??= data.createdAt;
  if (stage.kind === 'lost') data.lostAt ??= data.createdAt;
  const closedAt = (data.wonAt ?? data.lostAt) as string | undefined;
  data.pipelineId = pipeline.id;
  data.stageId = stage.id;
  data.stageKind = stage.kind;
  data.stageChangedAt = closedAt ?? data.createdAt;
  data.id = newId('deal', Date.parse(data.createdAt as string));
  data.historyId = newId('dsh', Date.parse(data.stageChangedAt as string));
  if (closedAt) data.touchId = newId('tch', Date.parse(closedAt));
}

const WON_PAGE = 2000;

/**
 * Before the merge (own transaction, idempotent): rows whose contact does not exist become rejected
 * rows, so an import in `all` mode stops with nothing written, and `valid` mode reports them.
 * Also creates the touch partitions the closed deals will need (outside the merge transaction).
 */
export async function prepareDealMerge(
  ctx: AppContext,
  workspaceId: string,
  importId: string,
): Promise<void> {
  await ctx.db.transaction().execute((trx) => dealsRepo.rejectUnlinked(trx, workspaceId, importId));
  const closed = await dealsRepo.closedTimes(ctx.db, workspaceId, importId);
  await ensureTouchPartitions(
    ctx,
    closed.map((t) => new Date(t)),
  );
}

/** Merges staged deals and their consequences in the caller's (the import's) transaction. */
export async function mergeDealsWithEffects(
  trx: Transaction<Database>,
  ctx: AppContext,
  ws: string,
  importId: string,
  o: ImportOptions,
  actorId: string | null,
  now: Date,
): Promise<MergeCounts> {
  const counts = await dealsRepo.mergeDeals(trx, ws, importId, o, actorId, now);
  let after = '';
  for (;;) {
    const closed = await dealsRepo.closedDealsPage(trx, ws, after, WON_PAGE);
    if (!closed.length) break;
    await writeTouches(
      trx,
      ws,
      closed.map((c) => ({
        id: c.touch_id,
        occurredAt: new Date(c.closed_at),
        contactId: c.contact_id,
        companyId: c.company_id,
        campaignId: null,
        userId: c.owner_id,
        type: c.kind === 'won' ? 'deal_won' : 'deal_lost',
        direction: 'sales' as const,
        channel: null,
        metadata: {
          dealId: c.id,
          dealName: c.name,
          amountMinor: c.amount_minor === null ? null : Number(c.amount_minor),
          currency: c.currency,
          ...(c.kind === 'lost' ? { lostReason: c.lost_reason } : {}),
          importId,
        },
        utm: {},
      })),
      now,
      ctx,
    );
    // A won deal makes its contact a customer (cause import: never a move backwards).
    for (const contactId of new Set(closed.filter((c) => c.kind === 'won').map((c) => c.contact_id))) {
      await changeStage(trx, ctx, { workspaceId: ws, contactId, to: 'customer', cause: 'import', actorId });
    }
    after = closed.at(-1)!.id;
  }
  return counts;
}
