import fs from 'node:fs';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../http/context.ts';
import { newId } from '../../lib/ids.ts';
import { formatMoney, parseMoney } from '../../lib/money.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { changeStage } from '../lifecycle/lifecycle.service.ts';
import { ensurePartitions } from '../touches/touches.repo.ts';
import { writeTouches } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './deals.import.repo.ts';
import * as stagesRepo from './deals.pipelines.repo.ts';
import { ensureDefaultPipeline, readSettings } from './deals.pipelines.ts';

/**
 * `tandem import deals` / `tandem export deals`: deals from and to CSV, each deal linked to its
 * contact by `contact.email` or `contact.external_id`. Re-running an import skips deals whose
 * `external_id` is already stored, so an interrupted import resumes without duplicates. Rows that
 * cannot be imported (no such contact, a bad amount or date, an unknown stage or owner) are
 * reported with their row number; the others are imported. Won deals make their contact a
 * customer (cause `import`) and log a `deal_won` touch at their won date.
 */

export const DEAL_FIELDS = [
  'external_id',
  'name',
  'stage',
  'amount',
  'currency',
  'created_at',
  'won_at',
  'lost_at',
  'lost_reason',
  'owner',
  'contact.email',
  'contact.external_id',
] as const;

export interface DealImportResult {
  rows: number;
  inserted: number;
  skipped: number;
  rejected: number;
  errors: { row: number; message: string }[];
  ignoredColumns: string[];
}

function fieldOf(header: string, map: Record<string, string>): string | null {
  if (header in map) return map[header] || null;
  const h = header.trim().toLowerCase();
  if ((DEAL_FIELDS as readonly string[]).includes(h) || h.startsWith('custom.')) return h;
  return null;
}

/** ISO date-times, `YYYY-MM-DD HH:MM:SS` and plain dates; times without a zone are UTC. */
function parseTime(text: string): Date | null {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const BATCH = 500;

export async function importDeals(
  ctx: AppContext,
  actor: Actor,
  file: string,
  opts: { map?: Record<string, string>; set?: Record<string, string> } = {},
): Promise<DealImportResult> {
  const ws = actor.workspaceId;
  const now = ctx.clock.now();
  const pipeline = await ctx.db.transaction().execute((trx) => ensureDefaultPipeline(trx, ws, now));
  const stages = await stagesRepo.listStages(ctx.db, ws, [pipeline.id]);
  const settings = await readSettings(ctx.db, ws);
  const users = await repo.usersByEmail(ctx.db, ws);
  const result: DealImportResult = {
    rows: 0,
    inserted: 0,
    skipped: 0,
    rejected: 0,
    errors: [],
    ignoredColumns: [],
  };
  const reject = (row: number, message: string) => {
    result.rejected++;
    if (result.errors.length < 100) result.errors.push({ row, message });
  };
  let fields: (string | null)[] | null = null;
  let batch: { row: number; v: Record<string, string> }[] = [];

  const flush = async () => {
    const rows = batch;
    batch = [];
    if (!rows.length) return;
    const contacts = await repo.contactsByKeys(ctx.db, ws, {
      emails: rows.map((r) => r.v['contact.email']?.toLowerCase()).filter((e): e is string => Boolean(e)),
      externalIds: rows.map((r) => r.v['contact.external_id']).filter((e): e is string => Boolean(e)),
    });
    const byEmail = new Map(contacts.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), c]));
    const byExternal = new Map(contacts.filter((c) => c.external_id).map((c) => [c.external_id!, c]));
    const existing = await repo.existingExternalIds(
      ctx.db,
      ws,
      rows.map((r) => r.v.external_id).filter((e): e is string => Boolean(e)),
    );
    const deals: repo.ImportedDeal[] = [];
    const seen = new Set<string>();
    for (const { row, v } of rows) {
      const externalId = v.external_id || null;
      if (externalId && (existing.has(externalId) || seen.has(externalId))) {
        result.skipped++;
        continue;
      }
      const contact =
        (v['contact.email'] && byEmail.get(v['contact.email'].toLowerCase())) ||
        (v['contact.external_id'] && byExternal.get(v['contact.external_id'])) ||
        undefined;
      if (!contact) {
        reject(
          row,
          v['contact.email'] || v['contact.external_id']
            ? 'no such contact'
            : 'contact.email or contact.external_id is required',
        );
        continue;
      }
      const wonAt = v.won_at ? parseTime(v.won_at) : null;
      const lostAt = v.lost_at ? parseTime(v.lost_at) : null;
      const createdAt = v.created_at ? parseTime(v.created_at) : (wonAt ?? lostAt ?? now);
      if ((v.won_at && !wonAt) || (v.lost_at && !lostAt) || !createdAt) {
        reject(row, 'a date is not a date (use YYYY-MM-DD or an ISO date-time)');
        continue;
      }
      const stageKey =
        v.stage || (wonAt ? 'won' : lostAt ? 'lost' : stages.find((s) => s.kind === 'open')!.key);
      const stage = stages.find((s) => s.key === stageKey);
      if (!stage) {
        reject(row, `stage ${stageKey} is not a stage of the default pipeline`);
        continue;
      }
      const currency = (v.currency || settings.reportingCurrency).toUpperCase();
      let amountMinor: string | null = null;
      if (v.amount) {
        try {
          const money = parseMoney(v.amount, currency);
          if (money.amountMinor < 0n) throw new Error('negative');
          amountMinor = money.amountMinor.toString();
        } catch {
          reject(row, `amount ${v.amount} is not a non-negative amount in ${currency}`);
          continue;
        }
      }
      let ownerId: string | null = null;
      if (v.owner) {
        ownerId = users.get(v.owner.toLowerCase()) ?? null;
        if (!ownerId) {
          reject(row, `owner ${v.owner} is not an active user`);
          continue;
        }
      }
      if (stage.kind === 'won' && settings.requireAmountOnWon && amountMinor === null) {
        reject(row, 'a won deal needs an amount in this workspace');
        continue;
      }
      const custom: Record<string, string> = {};
      for (const [k, value] of Object.entries(v))
        if (k.startsWith('custom.') && value) custom[k.slice(7)] = value;
      if (externalId) seen.add(externalId);
      deals.push({
        id: newId('deal', createdAt.getTime()),
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        name: v.name || `Deal ${externalId ?? contact.external_id ?? contact.email ?? contact.id}`,
        contact_id: contact.id,
        company_id: contact.company_id,
        owner_id: ownerId,
        team_id: contact.team_id,
        amount_minor: amountMinor,
        currency,
        source_campaign_id: contact.source_campaign_id,
        lost_reason: stage.kind === 'lost' ? v.lost_reason || 'other' : null,
        won_at: stage.kind === 'won' ? (wonAt ?? createdAt) : null,
        lost_at: stage.kind === 'lost' ? (lostAt ?? createdAt) : null,
        external_id: externalId,
        custom,
        created_at: createdAt,
      });
    }
    if (!deals.length) return;
    const won = deals.filter((d) => d.won_at);
    await ensurePartitions(ctx.db, new Set(won.map((d) => `${d.won_at!.toISOString().slice(0, 7)}-01`)));
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertImported(trx, ws, deals, actor.userId, now);
      await trx
        .insertInto('deal_stage_history')
        .values(
          deals.map((d) => ({
            workspace_id: ws,
            id: newId('dsh', d.created_at.getTime()),
            deal_id: d.id,
            pipeline_id: d.pipeline_id,
            from_stage_id: null,
            to_stage_id: d.stage_id,
            at: d.won_at ?? d.lost_at ?? d.created_at,
            actor_id: actor.userId,
            reason: 'import',
          })),
        )
        .execute();
      await writeTouches(
        trx,
        ws,
        won.map((d) => ({
          id: newId('tch', d.won_at!.getTime()),
          occurredAt: d.won_at!,
          contactId: d.contact_id,
          companyId: d.company_id,
          campaignId: null,
          userId: d.owner_id,
          type: 'deal_won',
          direction: 'sales' as const,
          channel: null,
          metadata: {
            dealId: d.id,
            dealName: d.name,
            amountMinor: d.amount_minor === null ? null : Number(d.amount_minor),
            currency: d.currency,
            imported: true,
          },
          utm: {},
        })),
        now,
        ctx,
      );
      for (const contactId of new Set(won.map((d) => d.contact_id))) {
        await changeStage(trx, ctx, {
          workspaceId: ws,
          contactId,
          to: 'customer',
          cause: 'import',
          actorId: actor.userId,
        });
      }
      await appendAudit(trx, {
        workspaceId: ws,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'import',
        entityType: 'deal',
        entityId: null,
        diff: { file: file.split('/').at(-1), inserted: deals.length },
        at: now,
      });
    });
    result.inserted += deals.length;
  };

  const parser = fs
    .createReadStream(file)
    .pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
  let rowNumber = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!fields) {
      fields = record.map((h) => fieldOf(h, opts.map ?? {}));
      result.ignoredColumns = record.filter((_, i) => fields![i] === null);
      continue;
    }
    rowNumber++;
    result.rows++;
    const v: Record<string, string> = { ...(opts.set ?? {}) };
    record.forEach((cell, i) => {
      const f = fields![i];
      if (f && cell.trim() !== '') v[f] = cell.trim();
    });
    batch.push({ row: rowNumber, v });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return result;
}

/** The deals as CSV, in chunks: the headers the importer reads back, plus one per custom key. */
export async function* exportDeals(ctx: AppContext, actor: Actor): AsyncGenerator<string> {
  const ws = actor.workspaceId;
  const keys = await repo.customKeys(ctx.db, ws);
  const header = [
    'external_id',
    'name',
    'pipeline',
    'stage',
    'amount',
    'currency',
    'expected_close_on',
    'created_at',
    'won_at',
    'lost_at',
    'lost_reason',
    'lost_note',
    'owner',
    'contact.email',
    'contact.external_id',
    ...keys.map((k) => `custom.${k}`),
  ];
  yield stringify([header]);
  let after: string | null = null;
  for (;;) {
    const rows = await repo.exportPage(ctx.db, ws, after, 1000);
    if (!rows.length) break;
    yield stringify(
      rows.map((r) => [
        r.external_id ?? r.id,
        r.name,
        r.pipeline,
        r.stage,
        r.amount_minor === null
          ? ''
          : formatMoney({ amountMinor: BigInt(r.amount_minor), currency: r.currency }),
        r.currency,
        r.expected_close_on ?? '',
        r.created_at,
        r.won_at ?? '',
        r.lost_at ?? '',
        r.lost_reason ?? '',
        r.lost_note ?? '',
        r.owner ?? '',
        r.contact_email ?? '',
        r.contact_external_id ?? '',
        ...keys.map((k) => {
          const value = r.custom[k];
          return value === undefined || value === null ? '' : String(value);
        }),
      ]),
    );
    after = rows.at(-1)!.id;
    if (rows.length < 1000) break;
  }
  await appendAudit(ctx.db, {
    workspaceId: ws,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action: 'export',
    entityType: 'deal',
    entityId: null,
    diff: {},
    at: ctx.clock.now(),
  });
}
