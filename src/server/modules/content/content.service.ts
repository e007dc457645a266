import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type {
  ContentAssetDto,
  ContentListQuery,
  ContentMeta,
  ContentShareDto,
  ContentVersionDto,
} from '../../../contracts/content.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId, newSecret } from '../../lib/ids.ts';
import { findContact } from '../contacts/contacts.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { ensureTouchPartitions, writeTouches } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { ALLOWED_DESCRIPTION, detectType, readHead, safeFileName, storedPath } from './content.files.ts';
import * as repo from './content.repo.ts';

const DAY = 86_400_000;

function toVersionDto(v: repo.VersionRow): ContentVersionDto {
  return {
    id: v.id,
    version: v.version,
    fileName: v.file_name,
    mime: v.mime,
    bytes: v.bytes === null ? null : Number(v.bytes),
    url: v.url,
    note: v.note,
    createdAt: v.created_at.toISOString(),
  };
}

function toAssetDto(a: repo.AssetRow, versions: repo.VersionRow[]): ContentAssetDto {
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    source: a.source,
    product: a.product,
    language: a.language,
    market: a.market,
    funnelStage: a.funnel_stage,
    currentVersion: a.current_version,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    versions: versions.filter((v) => v.asset_id === a.id).map(toVersionDto),
  };
}

function audit(actor: Actor, action: string, entityId: string, diff: Record<string, unknown>, at: Date) {
  return {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType: 'content_asset',
    entityId,
    diff,
    at,
  };
}

/** Assets sales can find by stage, language, product, market, kind or title. */
export async function listAssets(
  ctx: AppContext,
  actor: Actor,
  query: ContentListQuery,
): Promise<ContentAssetDto[]> {
  const rows = await repo.listAssets(ctx.db, actor.workspaceId, query);
  const versions = await repo.versionsOf(
    ctx.db,
    actor.workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAssetDto(r, versions));
}

export async function getAsset(ctx: AppContext, actor: Actor, id: string): Promise<ContentAssetDto> {
  const row = await repo.findAsset(ctx.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError('Asset', id);
  return toAssetDto(row, await repo.versionsOf(ctx.db, actor.workspaceId, [id]));
}

/** An upload being received: the stream, its name, and whether the size limit cut it short. */
export interface IncomingFile {
  fileName: string;
  stream: NodeJS.ReadableStream & { truncated?: boolean };
}

/**
 * Stores an uploaded file under the content folder after checking its size and its type by content;
 * returns the version fields. Nothing is left on disk when it is refused.
 */
async function storeFile(
  ctx: AppContext,
  workspaceId: string,
  assetId: string,
  versionId: string,
  file: IncomingFile,
) {
  const fileName = safeFileName(file.fileName);
  const storageKey = path.join(workspaceId, assetId, versionId);
  const dest = storedPath(ctx.config.contentDir, storageKey);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  await pipeline(file.stream, fs.createWriteStream(dest));
  try {
    if (file.stream.truncated) {
      throw new AppError(
        413,
        'file_too_large',
        `The file is larger than ${ctx.config.contentMaxBytes / 1024 / 1024} MB`,
      );
    }
    const type = detectType(readHead(dest), fileName);
    if (!type) {
      throw new ValidationError(`The file's content is not an allowed type (${ALLOWED_DESCRIPTION})`, {
        file: `must be ${ALLOWED_DESCRIPTION}, with a matching extension`,
      });
    }
    return { file_name: fileName, mime: type.mime, bytes: fs.statSync(dest).size, storage_key: storageKey };
  } catch (err) {
    fs.rmSync(dest, { force: true });
    throw err;
  }
}

/** A new asset from an uploaded file (version 1). */
export async function createFileAsset(
  ctx: AppContext,
  actor: Actor,
  meta: ContentMeta,
  file: IncomingFile,
): Promise<ContentAssetDto> {
  const at = ctx.clock.now();
  const id = newId('ast', at.getTime());
  const versionId = newId('asv', at.getTime());
  const stored = await storeFile(ctx, actor.workspaceId, id, versionId, file);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertAsset(trx, assetValues(actor, id, meta, 'file', at));
      await repo.insertVersion(
        trx,
        versionValues(actor, id, versionId, 1, { ...stored, url: null }, null, at),
      );
      await appendAudit(
        trx,
        audit(actor, 'create', id, { title: meta.title, kind: meta.kind, file: stored.file_name }, at),
      );
    });
  } catch (err) {
    fs.rmSync(storedPath(ctx.config.contentDir, stored.storage_key), { force: true });
    throw err;
  }
  return getAsset(ctx, actor, id);
}

/** A new asset that is a link (a web page, a video on a hosting site). */
export async function createLinkAsset(
  ctx: AppContext,
  actor: Actor,
  input: ContentMeta & { url: string },
): Promise<ContentAssetDto> {
  const at = ctx.clock.now();
  const id = newId('ast', at.getTime());
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertAsset(trx, assetValues(actor, id, input, 'link', at));
    await repo.insertVersion(
      trx,
      versionValues(actor, id, newId('asv', at.getTime()), 1, linkFields(input.url), null, at),
    );
    await appendAudit(
      trx,
      audit(actor, 'create', id, { title: input.title, kind: input.kind, url: input.url }, at),
    );
  });
  return getAsset(ctx, actor, id);
}

/** A new version of an asset; share links name the asset, so they serve the new version from now on. */
export async function addVersion(
  ctx: AppContext,
  actor: Actor,
  id: string,
  content: { file: IncomingFile } | { url: string; note?: string },
): Promise<ContentAssetDto> {
  const at = ctx.clock.now();
  const asset = await repo.findAsset(ctx.db, actor.workspaceId, id);
  if (!asset) throw new NotFoundError('Asset', id);
  const isFile = 'file' in content;
  if (isFile !== (asset.source === 'file')) {
    throw new ValidationError(
      `Asset ${id} is a ${asset.source}: send a new ${asset.source === 'file' ? 'file' : 'url'}`,
      {
        [isFile ? 'file' : 'url']: `this asset is a ${asset.source}`,
      },
    );
  }
  const versionId = newId('asv', at.getTime());
  const fields = isFile
    ? { ...(await storeFile(ctx, actor.workspaceId, id, versionId, content.file)), url: null }
    : linkFields(content.url);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.findAsset(trx, actor.workspaceId, id, true);
    if (!locked) throw new NotFoundError('Asset', id);
    const version = locked.current_version + 1;
    const note = isFile ? null : (content.note ?? null);
    await repo.insertVersion(trx, versionValues(actor, id, versionId, version, fields, note, at));
    await appendAudit(
      trx,
      audit(actor, 'new_version', id, { version, file: fields.file_name, url: fields.url }, at),
    );
  });
  return getAsset(ctx, actor, id);
}

function linkFields(url: string) {
  return { file_name: null, mime: null, bytes: null, storage_key: null, url };
}

function assetValues(actor: Actor, id: string, meta: ContentMeta, source: 'file' | 'link', at: Date) {
  return {
    workspace_id: actor.workspaceId,
    id,
    title: meta.title,
    kind: meta.kind,
    source,
    product: meta.product ?? null,
    language: meta.language ?? null,
    market: meta.market ?? null,
    funnel_stage: meta.funnelStage ?? null,
    created_by: actor.userId,
    at,
  };
}

function versionValues(
  actor: Actor,
  assetId: string,
  id: string,
  version: number,
  f: {
    file_name: string | null;
    mime: string | null;
    bytes: number | null;
    storage_key: string | null;
    url: string | null;
  },
  note: string | null,
  at: Date,
) {
  return {
    workspace_id: actor.workspaceId,
    id,
    asset_id: assetId,
    version,
    ...f,
    note,
    created_by: actor.userId,
    at,
  };
}

/** The stored file of a version, for a signed-in download (404 when the file is gone from disk). */
export async function versionFile(ctx: AppContext, actor: Actor, assetId: string, versionId: string) {
  const v = await repo.findVersion(ctx.db, actor.workspaceId, assetId, versionId);
  if (!v || !(await repo.findAsset(ctx.db, actor.workspaceId, assetId)))
    throw new NotFoundError('Asset version', versionId);
  return servable(ctx, v);
}

function servable(
  ctx: AppContext,
  v: repo.VersionRow,
): { kind: 'redirect'; url: string } | { kind: 'file'; path: string; mime: string; fileName: string } {
  if (v.url) return { kind: 'redirect', url: v.url };
  const file = v.storage_key ? storedPath(ctx.config.contentDir, v.storage_key) : null;
  if (!file || !fs.existsSync(file)) {
    throw new AppError(
      404,
      'file_missing',
      `The file of "${v.file_name ?? v.id}" is missing from the content folder`,
    );
  }
  return {
    kind: 'file',
    path: file,
    mime: v.mime ?? 'application/octet-stream',
    fileName: v.file_name ?? 'file',
  };
}

/** A tracked link to an asset for one contact the rep can see; optional expiry. */
export async function createShare(
  ctx: AppContext,
  actor: Actor,
  assetId: string,
  input: { contactId: string; expiresInDays?: number },
): Promise<ContentShareDto> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.findAsset(trx, actor.workspaceId, assetId))) throw new NotFoundError('Asset', assetId);
    if (!(await findContact(trx, actor, input.contactId))) {
      throw new ValidationError('No such contact', { contactId: 'no such contact in this workspace' });
    }
    const row = await repo.insertShare(trx, {
      workspace_id: actor.workspaceId,
      id: newId('shr', at.getTime()),
      token: newSecret(18),
      asset_id: assetId,
      contact_id: input.contactId,
      created_by: actor.userId,
      expires_at: input.expiresInDays ? new Date(at.getTime() + input.expiresInDays * DAY) : null,
      at,
    });
    await appendAudit(
      trx,
      audit(actor, 'share', assetId, { shareId: row.id, contactId: input.contactId }, at),
    );
    return {
      id: row.id,
      assetId,
      contactId: row.contact_id,
      path: `/c/${row.token}`,
      expiresAt: row.expires_at?.toISOString() ?? null,
      views: row.views,
      createdAt: row.created_at.toISOString(),
    };
  });
}

export type OpenedShare =
  | { kind: 'not_found' }
  | { kind: 'expired' }
  | { kind: 'redirect'; url: string }
  | { kind: 'file'; path: string; mime: string; fileName: string };

/**
 * Opens a share link (public): serves the asset's current version and logs a `content_view` touch
 * on the contact with the asset in its metadata, in one transaction with the view counter.
 */
export async function openShare(ctx: AppContext, token: string): Promise<OpenedShare> {
  const now = ctx.clock.now();
  const share = token.length <= 64 ? await repo.findShareByToken(ctx.db, token) : undefined;
  if (!share) return { kind: 'not_found' };
  if (share.expires_at && share.expires_at.getTime() <= now.getTime()) return { kind: 'expired' };
  const ws = share.workspace_id;
  const [asset, version, contact] = await Promise.all([
    repo.findAsset(ctx.db, ws, share.asset_id),
    repo.currentVersion(ctx.db, ws, share.asset_id),
    repo.contactCompany(ctx.db, ws, share.contact_id),
  ]);
  if (!asset || !version || !contact) return { kind: 'not_found' };
  const served = servable(ctx, version);
  await ensureTouchPartitions(ctx, [now]);
  await ctx.db.transaction().execute(async (trx) => {
    await writeTouches(
      trx,
      ws,
      [
        {
          id: newId('tch', now.getTime()),
          occurredAt: now,
          contactId: share.contact_id,
          companyId: contact.company_id,
          campaignId: null,
          userId: share.created_by,
          type: 'content_view',
          direction: 'marketing',
          channel: 'content',
          metadata: {
            assetId: asset.id,
            title: asset.title,
            kind: asset.kind,
            version: version.version,
            shareId: share.id,
          },
          utm: {},
        },
      ],
      now,
      ctx,
    );
    await repo.countView(trx, ws, share.id, now);
  });
  return served;
}
