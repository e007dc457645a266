import fs from 'node:fs';
import path from 'node:path';
import type { QuoteSettingsDto, QuoteSettingsUpdate } from '../../../contracts/quotes.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './quotes.repo.ts';
import { bpToPercent, percentToBp } from './quotes.totals.ts';

/** The largest logo accepted: a letterhead image, not a photo album. */
export const MAX_LOGO_BYTES = 1024 * 1024;

/** PNG and JPEG only: the formats the PDF library embeds; recognised by their first bytes. */
export function sniffImage(bytes: Buffer): 'image/png' | 'image/jpeg' | undefined {
  if (
    bytes.length > 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

function brandingDir(ctx: AppContext, workspaceId: string): string {
  return path.join(ctx.config.dataDir, 'branding', workspaceId);
}

export async function getQuoteSettings(ctx: AppContext, actor: Actor): Promise<QuoteSettingsDto> {
  const ws = await repo.findWorkspaceSettings(ctx.db, actor.workspaceId);
  if (!ws) throw new NotFoundError('Workspace', actor.workspaceId);
  return {
    discountThresholdPercent: bpToPercent(ws.quote_discount_threshold_bp),
    hasLogo: ws.logo_file !== null,
    workspaceName: ws.name,
  };
}

/** Changes the discount above which a quote needs a sales manager's approval (audited). */
export async function updateQuoteSettings(
  ctx: AppContext,
  actor: Actor,
  input: QuoteSettingsUpdate,
): Promise<QuoteSettingsDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findWorkspaceSettings(trx, actor.workspaceId, { forUpdate: true });
    if (!before) throw new NotFoundError('Workspace', actor.workspaceId);
    const bp = percentToBp(input.discountThresholdPercent);
    await repo.updateWorkspaceSettings(trx, actor.workspaceId, { quote_discount_threshold_bp: bp });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'quote_settings',
      entityId: actor.workspaceId,
      diff: {
        discountThresholdPercent: {
          from: bpToPercent(before.quote_discount_threshold_bp),
          to: input.discountThresholdPercent,
        },
      },
      at: ctx.clock.now(),
    });
  });
  return getQuoteSettings(ctx, actor);
}

/**
 * Stores the workspace logo under the data folder (a new file name each time, so a PDF being
 * rendered never reads a half-written file) and points the workspace at it.
 */
export async function saveLogo(ctx: AppContext, actor: Actor, bytes: Buffer): Promise<QuoteSettingsDto> {
  if (bytes.length > MAX_LOGO_BYTES)
    throw new ValidationError('Logo too large', { file: `must be at most ${MAX_LOGO_BYTES / 1024} KB` });
  const type = sniffImage(bytes);
  if (!type) throw new ValidationError('Unsupported logo', { file: 'must be a PNG or JPEG image' });
  const dir = brandingDir(ctx, actor.workspaceId);
  fs.mkdirSync(dir, { recursive: true });
  const name = `logo-${ctx.clock.now().getTime()}.${type === 'image/png' ? 'png' : 'jpg'}`;
  fs.writeFileSync(path.join(dir, name), bytes);
  const old = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findWorkspaceSettings(trx, actor.workspaceId, { forUpdate: true });
    await repo.updateWorkspaceSettings(trx, actor.workspaceId, { logo_file: name, logo_type: type });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'set_logo',
      entityType: 'workspace',
      entityId: actor.workspaceId,
      diff: { bytes: bytes.length, type },
      at: ctx.clock.now(),
    });
    return before?.logo_file ?? null;
  });
  if (old && old !== name) fs.rmSync(path.join(dir, old), { force: true });
  return getQuoteSettings(ctx, actor);
}

/** The workspace logo's bytes and type, or undefined when none is set (or the file is gone). */
export async function readLogo(
  ctx: AppContext,
  workspaceId: string,
): Promise<{ bytes: Buffer; type: string } | undefined> {
  const ws = await repo.findWorkspaceSettings(ctx.db, workspaceId);
  if (!ws?.logo_file || !ws.logo_type) return undefined;
  try {
    return {
      bytes: fs.readFileSync(path.join(brandingDir(ctx, workspaceId), ws.logo_file)),
      type: ws.logo_type,
    };
  } catch {
    return undefined;
  }
}
