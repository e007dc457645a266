import fs from 'node:fs';
import path from 'node:path';
import { MEMBER_STATUSES_BY_CHANNEL, type MemberStatus } from '../../../contracts/campaigns.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { addCampaignMembers } from '../campaigns/campaigns.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { buildConverter, type CustomDef } from './capture.convert.ts';
import { type DateOrder, detectDateOrder } from './capture.dates.ts';
import { knownContactKeys } from './capture.deals.repo.ts';
import { loadDealContext, mergeDealsWithEffects, prepareDealMerge } from './capture.deals.ts';
import { runImportJob } from './capture.jobs.ts';
import {
  autoMap,
  FIELD_SPECS,
  fieldKey,
  type ImportEntity,
  REQUIRED_ANY,
  specFor,
} from './capture.mapping.ts';
import { importedContactIds, mergeCompanies, mergeContacts, mergeTouches } from './capture.merge.repo.ts';
import { type FileSniff, readRows, sniffFile } from './capture.reader.ts';
import * as repo from './capture.repo.ts';

/**
 * CSV/XLSX imports: preview (mapping suggestions and per-row errors), then a resumable run that
 * stages valid rows in batches and merges them in one transaction.
 */
export interface ImportRequest {
  entity: ImportEntity;
  filePath: string;
  fileName?: string;
  /** Overrides of the suggested mapping: header (or 1-based column number) → field, or '' to skip. */
  map?: Record<string, string>;
  set?: Record<string, string>;
  dedupe?: repo.ImportOptions['dedupe'];
  mode?: repo.ImportOptions['mode'];
  dryRun?: boolean;
  dateOrder?: DateOrder;
  tags?: string[];
  campaignId?: string;
  memberStatus?: MemberStatus;
  hasHeader?: boolean;
}

export const BATCH_ROWS = 2000;
const PREVIEW_ROWS = 20;

function customEntity(entity: ImportEntity): 'contact' | 'company' | null {
  return entity === 'contacts' ? 'contact' : entity === 'companies' ? 'company' : null;
}

async function workspaceTimeZone(ctx: AppContext, workspaceId: string): Promise<string> {
  const ws = await ctx.db
    .selectFrom('workspaces')
    .select('time_zone')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return ws?.time_zone ?? 'UTC';
}

/** Resolves the user's overrides onto the suggested mapping; names each bad override. */
function resolveMapping(
  entity: ImportEntity,
  columns: string[],
  suggested: (string | null)[],
  overrides: Record<string, string>,
): (string | null)[] {
  const mapping = [...suggested];
  const errors: Record<string, string> = {};
  for (const [col, field] of Object.entries(overrides)) {
    let index = columns.indexOf(col);
    if (index === -1 && /^\d+$/.test(col)) index = Number(col) - 1;
    if (index < 0 || index >= columns.length) {
      errors[`map.${col}`] = 'is not a column of this file';
      continue;
    }
    if (field === '') {
      mapping[index] = null;
      continue;
    }
    const key = fieldKey(entity, field);
    if (!key) {
      errors[`map.${col}`] =
        `${field} is not a field of ${entity} (${FIELD_SPECS[entity].map((f) => f.key).join(', ')}, custom.<key>)`;
      continue;
    }
    if (
      key.startsWith('custom.') &&
      ((!customEntity(entity) && entity !== 'deals') || !/^custom\.[a-z][a-z0-9_]{0,39}$/.test(key))
    ) {
      errors[`map.${col}`] =
        'custom fields are custom.<key> with a lower-case key, on contacts, companies and deals';
      continue;
    }
    // A field mapped by hand takes precedence over the same field suggested for another column.
    mapping.forEach((m, i) => {
      if (m === key && i !== index) mapping[i] = null;
    });
    mapping[index] = key;
  }
  if (Object.keys(errors).length) throw new ValidationError('Invalid column mapping', errors);
  return mapping;
}

/** The constant values by their field's own key (`won_at` → `wonAt`); names each unknown field. */
function checkSet(entity: ImportEntity, set: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  const result: Record<string, string> = {};
  for (const [field, value] of Object.entries(set)) {
    const key = fieldKey(entity, field);
    if (!key || !specFor(entity, key, new Map())) errors[`set.${field}`] = `is not a field of ${entity}`;
    else result[key] = value;
  }
  if (Object.keys(errors).length) throw new ValidationError('Invalid --set value', errors);
  return result;
}

interface Prepared {
  sniff: FileSniff;
  mapping: (string | null)[];
  set: Record<string, string>;
  customDefs: CustomDef[];
  timeZone: string;
}

async function prepare(ctx: AppContext, workspaceId: string, req: ImportRequest): Promise<Prepared> {
  if (!fs.existsSync(req.filePath)) throw new NotFoundError('File', req.filePath);
  if (req.entity === 'deals') {
    // Updating stored deals from a file would bypass the stage rules (history, touches, approvals).
    if (req.dedupe === 'update')
      throw new ValidationError('Deals cannot be updated by import', {
        dedupe: 'deals import with skip (the default) or create',
      });
    if (req.tags?.length) throw new ValidationError('Deals have no tags', { tags: 'deals have no tags' });
  }
  const sniff = await sniffFile(
    req.filePath,
    req.hasHeader === undefined ? {} : { hasHeader: req.hasHeader },
  );
  const ce = customEntity(req.entity);
  const customDefs = ce ? await repo.customFieldDefs(ctx.db, workspaceId, ce) : [];
  const suggested = autoMap(req.entity, sniff.columns, customDefs);
  const mapping = resolveMapping(req.entity, sniff.columns, suggested, req.map ?? {});
  const set = checkSet(req.entity, req.set ?? {});
  const mapped = new Set([...mapping.filter(Boolean), ...Object.keys(set)] as string[]);
  if (!REQUIRED_ANY[req.entity].some((f) => mapped.has(f))) {
    throw new ValidationError('The mapping lacks a required field', {
      map: `map a column to one of ${REQUIRED_ANY[req.entity].join(', ')}`,
    });
  }
  return { sniff, mapping, set, customDefs, timeZone: await workspaceTimeZone(ctx, workspaceId) };
}

export interface ImportPreview {
  format: string;
  encoding: string;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  mapping: (string | null)[];
  fields: string[];
  dateOrder: DateOrder | 'ambiguous' | 'conflict' | null;
  rows: { rowNumber: number; cells: (string | null)[]; error: string | null }[];
}

/** The first rows as they would import, with each row's problem; nothing is written. */
export async function previewImport(
  ctx: AppContext,
  actor: Actor,
  req: ImportRequest,
): Promise<ImportPreview> {
  const p = await prepare(ctx, actor.workspaceId, req);
  const sample: { rowNumber: number; cells: (string | null)[] }[] = [];
  for await (const row of readRows(req.filePath, p.sniff)) {
    sample.push(row);
    if (sample.length >= PREVIEW_ROWS) break;
  }
  const dateCols = p.mapping
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f && specFor(req.entity, f, new Map())?.kind === 'datetime');
  const dateOrder =
    req.dateOrder ??
    detectDateOrder(sample.flatMap((r) => dateCols.map(({ i }) => r.cells[i] ?? '').filter(Boolean)));
  const convert = buildConverter({
    entity: req.entity,
    columns: p.sniff.columns,
    mapping: p.mapping,
    set: p.set,
    customDefs: p.customDefs,
    usersByEmail: await repo.usersByEmail(ctx.db, actor.workspaceId),
    timeZone: p.timeZone,
    dateOrder: dateOrder === 'DMY' || dateOrder === 'MDY' ? dateOrder : undefined,
    deals: req.entity === 'deals' ? await loadDealContext(ctx, actor.workspaceId, p.timeZone) : undefined,
  });
  const converted = sample.map((r) => convert(r));
  const unknownContact = await contactCheck(ctx, actor.workspaceId, req.entity, converted);
  return {
    format: p.sniff.format,
    encoding: p.sniff.encoding,
    delimiter: p.sniff.delimiter,
    hasHeader: p.sniff.hasHeader,
    columns: p.sniff.columns,
    mapping: p.mapping,
    fields: [...FIELD_SPECS[req.entity].map((f) => f.key), ...p.customDefs.map((d) => `custom.${d.key}`)],
    dateOrder,
    rows: sample.map((r, i) => {
      const c = converted[i]!;
      return { rowNumber: r.rowNumber, cells: r.cells, error: c.ok ? unknownContact(c.data) : c.reason };
    }),
  };
}

/**
 * Deals: the preview names rows whose contact does not exist (the run rejects them before the merge).
 * Returns each valid row's remaining problem, or null.
 */
async function contactCheck(
  ctx: AppContext,
  workspaceId: string,
  entity: ImportEntity,
  converted: ReturnType<ReturnType<typeof buildConverter>>[],
): Promise<(data: Record<string, unknown>) => string | null> {
  if (entity !== 'deals') return () => null;
  const rows = converted.flatMap((c) => (c.ok ? [c.data] : []));
  const text = (v: unknown) => (typeof v === 'string' ? [v] : []);
  const known = await knownContactKeys(
    ctx.db,
    workspaceId,
    rows.flatMap((d) => text(d.contactEmail)),
    rows.flatMap((d) => text(d.contactExternalId)),
  );
  return (d) => {
    const email = typeof d.contactEmail === 'string' ? d.contactEmail : null;
    const ext = typeof d.contactExternalId === 'string' ? d.contactExternalId : null;
    if ((email && known.emails.has(email)) || (ext && known.externalIds.has(ext))) return null;
    return email
      ? `contact.email: no contact with e-mail ${email}`
      : `contact.external_id: no contact with external id ${ext}`;
  };
}

/**
 * Checks the campaign an import links to and picks the member status its contacts get: a trade-show
 * badge list means they visited the booth (a `trade_show_scan` touch each); otherwise targeted.
 */
async function campaignLink(
  ctx: AppContext,
  workspaceId: string,
  req: ImportRequest,
): Promise<MemberStatus | undefined> {
  if (!req.campaignId) {
    if (req.memberStatus) throw new ValidationError('No campaign', { memberStatus: 'needs campaignId' });
    return undefined;
  }
  if (req.entity === 'companies')
    throw new ValidationError('Companies are not campaign members', {
      campaignId: 'links contact and touch imports only',
    });
  const channel = await repo.campaignChannel(ctx.db, workspaceId, req.campaignId);
  if (!channel)
    throw new ValidationError('Unknown campaign', { campaignId: `no such campaign: ${req.campaignId}` });
  if (req.entity !== 'contacts') return undefined;
  const status = req.memberStatus ?? (channel === 'trade_show' ? 'visited_booth' : 'targeted');
  if (!MEMBER_STATUSES_BY_CHANNEL[channel].includes(status))
    throw new ValidationError('Invalid member status', {
      memberStatus: `is not a member status of a ${channel} campaign: use ${MEMBER_STATUSES_BY_CHANNEL[channel].join(', ')}`,
    });
  return status;
}

/** Contacts linked per call to addCampaignMembers: bounds memory on a million-row badge list. */
const MEMBER_PAGE = 20_000;

/**
 * Records an import (status pending). Custom fields named in the mapping but not yet defined are
 * created as text fields. The caller runs it: the CLI in-process with a progress bar, the web app
 * through the runImport job.
 */
export async function createImport(
  ctx: AppContext,
  actor: Actor,
  req: ImportRequest,
  opts: { enqueue?: boolean } = {},
): Promise<string> {
  const p = await prepare(ctx, actor.workspaceId, req);
  const memberStatus = await campaignLink(ctx, actor.workspaceId, req);
  const id = newId('imp');
  const ce = customEntity(req.entity);
  const known = new Set(p.customDefs.map((d) => d.key));
  // Deals keep custom values without definitions; contacts and companies get a text field each.
  const missing = !ce
    ? []
    : [...new Set([...p.mapping, ...Object.keys(p.set)])].filter(
        (f): f is string => Boolean(f?.startsWith('custom.')) && !known.has(f!.slice(7)),
      );
  await ctx.db.transaction().execute(async (trx) => {
    for (const field of missing) {
      const key = field.slice(7);
      const cfId = newId('cf');
      await trx
        .insertInto('custom_fields')
        .values({
          workspace_id: actor.workspaceId,
          id: cfId,
          entity: ce!,
          key,
          label: key,
          type: 'text',
          options: '[]',
        })
        .execute();
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'create',
        entityType: 'custom_field',
        entityId: cfId,
        diff: { key, type: 'text', via: `import ${id}` },
      });
    }
    await repo.insertImport(trx, {
      workspace_id: actor.workspaceId,
      id,
      entity: req.entity,
      file_path: path.resolve(req.filePath),
      file_name: req.fileName ?? path.basename(req.filePath),
      format: p.sniff.format,
      encoding: p.sniff.encoding,
      delimiter: p.sniff.delimiter,
      has_header: p.sniff.hasHeader,
      columns: p.sniff.columns,
      mapping: p.mapping,
      set_values: p.set,
      options: {
        dedupe: req.dedupe ?? 'skip',
        mode: req.mode ?? 'all',
        dryRun: req.dryRun ?? false,
        dateOrder: req.dateOrder,
        tags: req.tags ?? [],
        campaignId: req.campaignId,
        memberStatus,
        timeZone: p.timeZone,
      },
      file_bytes: fs.statSync(req.filePath).size,
      created_by: actor.userId,
    });
    if (opts.enqueue)
      await ctx.queue.enqueue(trx, runImportJob(ctx), { workspaceId: actor.workspaceId, importId: id });
  });
  return id;
}

export type ProgressListener = (
  imp: Pick<repo.ImportRow, 'rows_seen' | 'bytes_read' | 'file_bytes' | 'rejected'>,
) => void;

/**
 * Runs (or resumes) an import. Safe to call again after a crash: staging restarts after the last
 * committed batch, and the merge is one transaction.
 */
export async function runImport(
  ctx: AppContext,
  workspaceId: string,
  importId: string,
  onProgress?: ProgressListener,
): Promise<repo.ImportRow> {
  const imp = await repo.getImport(ctx.db, workspaceId, importId);
  if (!imp) throw new NotFoundError('Import', importId);
  if (imp.status === 'completed' || imp.status === 'validated' || imp.status === 'failed') return imp;
  await repo.setStatus(ctx.db, workspaceId, importId, 'staging', { startedAt: ctx.clock.now() });
  try {
    if (imp.status !== 'merging') await stage(ctx, imp, onProgress);
    return await merge(ctx, importId, workspaceId);
  } catch (err) {
    if (err instanceof AppError) {
      await repo.discardStaging(ctx.db, workspaceId, importId);
      await repo.setStatus(ctx.db, workspaceId, importId, 'failed', {
        error: err.message,
        finishedAt: ctx.clock.now(),
      });
      return (await repo.getImport(ctx.db, workspaceId, importId))!;
    }
    throw err; // infrastructure failure: leave it resumable
  }
}

async function stage(ctx: AppContext, imp: repo.ImportRow, onProgress?: ProgressListener): Promise<void> {
  const customDefs =
    customEntity(imp.entity) === null
      ? []
      : await repo.customFieldDefs(ctx.db, imp.workspace_id, customEntity(imp.entity)!);
  const convert = buildConverter({
    entity: imp.entity,
    columns: imp.columns,
    mapping: imp.mapping,
    set: imp.set_values,
    customDefs,
    usersByEmail: await repo.usersByEmail(ctx.db, imp.workspace_id),
    timeZone: imp.options.timeZone,
    dateOrder: imp.options.dateOrder,
    deals:
      imp.entity === 'deals' ? await loadDealContext(ctx, imp.workspace_id, imp.options.timeZone) : undefined,
  });
  const sniff: FileSniff = {
    format: imp.format,
    encoding: imp.encoding,
    delimiter: imp.delimiter,
    hasHeader: imp.has_header,
    columns: imp.columns,
  };
  const progress = { bytesRead: 0 };
  const counts = { rowsSeen: imp.rows_seen, rowsValid: imp.rows_valid, rejected: imp.rejected };
  let staged: repo.StagedRow[] = [];
  let rejects: repo.RejectedRow[] = [];
  let lastRow = imp.staged_through;
  // One batch is written while the next is parsed, so parsing (this process) and COPY (the
  // database) overlap. Batches still commit strictly in order: a flush waits for the one before.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = {
      staged,
      rejects,
      p: { stagedThrough: lastRow, ...counts, bytesRead: progress.bytesRead },
    };
    staged = [];
    rejects = [];
    await inFlight;
    inFlight = repo
      .stageBatch(ctx.dbh, imp.workspace_id, imp.id, batch.staged, batch.rejects, batch.p)
      .then(() =>
        onProgress?.({
          rows_seen: batch.p.rowsSeen,
          bytes_read: batch.p.bytesRead,
          file_bytes: imp.file_bytes,
          rejected: batch.p.rejected,
        }),
      );
    // Surfaces a failed write at the next flush; the catch keeps it from being an unhandled rejection meanwhile.
    inFlight.catch(() => undefined);
  };
  try {
    for await (const row of readRows(imp.file_path, sniff, progress)) {
      if (row.rowNumber <= imp.staged_through) continue; // committed before a crash
      counts.rowsSeen++;
      lastRow = row.rowNumber;
      const c = convert(row);
      if (c.ok) {
        counts.rowsValid++;
        staged.push({ rowNumber: row.rowNumber, data: c.data });
      } else {
        counts.rejected++;
        rejects.push({ rowNumber: row.rowNumber, reason: c.reason, cells: row.cells });
      }
      if (staged.length + rejects.length >= BATCH_ROWS) await flush();
    }
    progress.bytesRead = imp.file_bytes;
    await flush();
  } finally {
    // Never leave a batch write running behind a reader error (the caller may discard staging).
    await inFlight.catch(() => undefined);
  }
  await inFlight;
  if (counts.rowsSeen === 0)
    throw new ValidationError('The file has no data rows', { file: 'has no data rows' });
}

async function merge(ctx: AppContext, importId: string, workspaceId: string): Promise<repo.ImportRow> {
  await repo.analyzeStaging(ctx.db);
  const staged = (await repo.getImport(ctx.db, workspaceId, importId))!;
  // Deals whose contact does not exist are rejected rows before anything is written.
  if (staged.entity === 'deals') await prepareDealMerge(ctx, workspaceId, importId);
  const imp = (await repo.getImport(ctx.db, workspaceId, importId))!;
  const o = imp.options;
  if (imp.rejected > 0 && o.mode === 'all') {
    throw new ValidationError(
      `${imp.rejected} of ${imp.rows_seen} rows are invalid; nothing was imported (download the rejected rows, fix them, or import the valid rows only)`,
      { file: `${imp.rejected} invalid rows` },
    );
  }
  const now = ctx.clock.now();
  if (o.dryRun) {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.finishImport(
        trx,
        workspaceId,
        importId,
        'validated',
        { inserted: 0, updated: 0, skipped: 0, rejected: 0 },
        now,
      );
    });
    return (await repo.getImport(ctx.db, workspaceId, importId))!;
  }
  await repo.setStatus(ctx.db, workspaceId, importId, 'merging');
  await ctx.db.transaction().execute(async (trx) => {
    const counts =
      imp.entity === 'deals'
        ? await mergeDealsWithEffects(trx, ctx, workspaceId, importId, o, imp.created_by, now)
        : await (imp.entity === 'contacts'
            ? mergeContacts
            : imp.entity === 'companies'
              ? mergeCompanies
              : mergeTouches)(trx, workspaceId, importId, o, now);
    if (imp.entity === 'contacts' && o.campaignId) {
      // Same transaction as the rows: a badge list is members and booth scans, or nothing.
      let after = '';
      for (;;) {
        const ids = await importedContactIds(trx, workspaceId, o, after, MEMBER_PAGE);
        if (!ids.length) break;
        await addCampaignMembers(trx, ctx, {
          workspaceId,
          campaignId: o.campaignId,
          contactIds: ids,
          status: o.memberStatus,
          actorId: imp.created_by,
          source: 'import',
        });
        after = ids[ids.length - 1]!;
      }
    }
    await repo.finishImport(trx, workspaceId, importId, 'completed', counts, now);
    await appendAudit(trx, {
      workspaceId,
      actorUserId: imp.created_by,
      actorLabel: imp.created_by ?? 'import',
      action: 'import',
      entityType: imp.entity,
      entityId: importId,
      diff: { file: imp.file_name, ...counts, rowsSeen: imp.rows_seen, dedupe: o.dedupe },
    });
  });
  return (await repo.getImport(ctx.db, workspaceId, importId))!;
}
