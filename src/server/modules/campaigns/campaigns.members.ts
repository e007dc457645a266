import type { Transaction } from 'kysely';
import {
  type CampaignMemberDto,
  MEMBER_STATUS_TOUCH,
  MEMBER_STATUSES_BY_CHANNEL,
  type MemberAddResultDto,
  type MemberListQuery,
  type MemberStatus,
} from '../../../contracts/campaigns.ts';
import { type BuiltInTouchType, DEFAULT_DIRECTION } from '../../../contracts/touches.ts';
import type { CampaignMemberSource, Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { ensureTouchPartitions, type NewTouch, writeTouches } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './campaigns.repo.ts';

/** Members are written in slices of this many contacts (an import can add 100,000 at once). */
const CHUNK = 5000;

export interface AddMembersInput {
  workspaceId: string;
  campaignId: string;
  contactIds: string[];
  /** Default `targeted`; must be a status the campaign's channel offers. */
  status?: MemberStatus | undefined;
  /** The user who adds them (null for the system); their e-mail labels the audit row. */
  actorId: string | null;
  /** How they came: by hand (default), a segment, an import, a list of ids. */
  source?: CampaignMemberSource | undefined;
  /** The per-market variant they belong to, if any. */
  marketId?: string | null | undefined;
}

type CampaignRow = repo.CampaignRow;

export function statusesOf(channel: CampaignRow['channel']): readonly MemberStatus[] {
  return MEMBER_STATUSES_BY_CHANNEL[channel];
}

function checkStatus(campaign: CampaignRow, status: MemberStatus): void {
  const allowed = statusesOf(campaign.channel);
  if (!allowed.includes(status)) {
    throw new ValidationError('Invalid member status', {
      status: `is not a member status of a ${campaign.channel} campaign: use ${allowed.join(', ')}`,
    });
  }
}

function touchTypeOf(campaign: CampaignRow, status: MemberStatus): string | undefined {
  return MEMBER_STATUS_TOUCH[campaign.channel]?.[status];
}

async function actorLabel(trx: Transaction<Database>, workspaceId: string, userId: string | null) {
  if (!userId) return 'system';
  const u = await trx
    .selectFrom('users')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return u?.email ?? 'system';
}

async function lockedCampaign(trx: Transaction<Database>, workspaceId: string, id: string) {
  const campaign = await repo.findCampaign(trx, workspaceId, id, { forUpdate: true });
  if (!campaign) throw new NotFoundError('Campaign', id);
  return campaign;
}

interface Change {
  contactId: string;
  companyId: string | null;
  status: MemberStatus;
  touched: string[];
  touchType: string | undefined;
}

/** The touches member changes imply, ready for writeTouches (partition ensured in the transaction). */
async function logMemberTouches(
  trx: Transaction<Database>,
  ctx: AppContext,
  campaign: CampaignRow,
  changes: Change[],
  at: Date,
): Promise<number> {
  const touches: NewTouch[] = changes
    .filter((c): c is Change & { touchType: string } => Boolean(c.touchType))
    .map((c) => ({
      id: newId('tch', at.getTime()),
      occurredAt: at,
      contactId: c.contactId,
      companyId: c.companyId,
      campaignId: campaign.id,
      userId: null,
      type: c.touchType,
      direction: DEFAULT_DIRECTION[c.touchType as BuiltInTouchType] ?? 'marketing',
      channel: campaign.channel,
      metadata: { campaignStatus: c.status, campaignName: campaign.name },
      utm: {},
    }));
  if (!touches.length) return 0;
  // Usually a no-op (callers ensure the month's partition before their transaction); creating it
  // here keeps the import path, which calls us inside its own transaction, safe in a new month.
  await ensureTouchPartitions({ ...ctx, db: trx }, [at]);
  await writeTouches(trx, campaign.workspace_id, touches, at, ctx);
  return touches.length;
}

/**
 * Adds contacts to a campaign in the caller's transaction. Idempotent: a contact already in it
 * keeps its membership, and moves to `status` only if that is further along the channel's statuses
 * (adding never downgrades attended to targeted). Where the status is a contact with the prospect
 * (a booth scan, a webinar attended, …) a touch is logged, once per membership. Unknown or deleted
 * contacts are a 400 naming each `contactIds.N`; one audit row records the batch.
 */
export async function addCampaignMembers(
  trx: Transaction<Database>,
  ctx: AppContext,
  input: AddMembersInput,
): Promise<MemberAddResultDto> {
  const ws = input.workspaceId;
  const campaign = await lockedCampaign(trx, ws, input.campaignId);
  const status = input.status ?? 'targeted';
  checkStatus(campaign, status);
  const order = statusesOf(campaign.channel);
  const rank = (s: string) => order.indexOf(s as MemberStatus);
  const at = ctx.clock.now();
  const ids = [...new Set(input.contactIds)];
  const position = new Map(input.contactIds.map((id, i) => [id, i] as const).reverse());
  const result: MemberAddResultDto = { added: 0, updated: 0, unchanged: 0, touchesLogged: 0 };
  const touchType = touchTypeOf(campaign, status);

  for (let start = 0; start < ids.length; start += CHUNK) {
    const slice = ids.slice(start, start + CHUNK);
    const live = new Map((await repo.liveContacts(trx, ws, slice)).map((c) => [c.id, c]));
    const errors: FieldErrors = {};
    for (const id of slice) {
      if (!live.has(id) && Object.keys(errors).length < 20)
        errors[`contactIds.${position.get(id)}`] = `no such contact in this workspace: ${id}`;
    }
    if (Object.keys(errors).length)
      throw new ValidationError('Some contacts do not exist; nobody was added', errors);

    const existing = new Map(
      (await repo.findMembers(trx, ws, campaign.id, slice)).map((m) => [m.contact_id, m]),
    );
    const inserts: Change[] = [];
    const updates: Change[] = [];
    for (const id of slice) {
      const companyId = live.get(id)!.company_id;
      const current = existing.get(id);
      if (!current) {
        inserts.push({ contactId: id, companyId, status, touched: touchType ? [touchType] : [], touchType });
        continue;
      }
      if (rank(current.status) >= rank(status)) {
        result.unchanged++;
        continue;
      }
      const fresh = touchType && !current.touched.includes(touchType) ? touchType : undefined;
      updates.push({
        contactId: id,
        companyId,
        status,
        touched: fresh ? [...current.touched, fresh] : current.touched,
        touchType: fresh,
      });
    }
    await repo.insertMembers(trx, ws, campaign.id, inserts, {
      source: input.source ?? 'manual',
      marketId: input.marketId ?? null,
      addedBy: input.actorId,
      at,
    });
    await repo.updateMembers(trx, ws, campaign.id, updates, at);
    result.added += inserts.length;
    result.updated += updates.length;
    result.touchesLogged += await logMemberTouches(trx, ctx, campaign, [...inserts, ...updates], at);
  }

  if (result.added || result.updated) {
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: input.actorId,
      actorLabel: await actorLabel(trx, ws, input.actorId),
      action: 'add_members',
      entityType: 'campaign',
      entityId: campaign.id,
      diff: { status, source: input.source ?? 'manual', ...result },
      at,
    });
  }
  return result;
}

/**
 * Sets one member's status (any direction: a correction may go back). A status that is a contact
 * with the prospect logs its touch, once per membership. Audited.
 */
export async function setMemberStatus(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  contactId: string,
  status: MemberStatus,
): Promise<CampaignMemberDto> {
  await ensureTouchPartitions(ctx, [ctx.clock.now()]);
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const campaign = await lockedCampaign(trx, ws, campaignId);
    checkStatus(campaign, status);
    const [current] = await repo.findMembers(trx, ws, campaignId, [contactId]);
    const [contact] = await repo.liveContacts(trx, ws, [contactId]);
    if (!current || !contact) throw new NotFoundError('Campaign member', contactId);
    if (current.status === status) return;
    const at = ctx.clock.now();
    const type = touchTypeOf(campaign, status);
    const fresh = type && !current.touched.includes(type) ? type : undefined;
    const change: Change = {
      contactId,
      companyId: contact.company_id,
      status,
      touched: fresh ? [...current.touched, fresh] : current.touched,
      touchType: fresh,
    };
    await repo.updateMembers(trx, ws, campaignId, [change], at);
    await logMemberTouches(trx, ctx, campaign, [change], at);
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'member_status',
      entityType: 'campaign',
      entityId: campaignId,
      diff: { contactId, status: [current.status, status] },
      at,
    });
  });
  const [row] = await repo.listMembers(ctx.db, actor.workspaceId, campaignId, {
    limit: 1,
    contactId,
  });
  if (!row) throw new NotFoundError('Campaign member', contactId);
  return toMemberDto(row);
}

/** Takes a contact out of a campaign (its touches stay: they happened). Audited. */
export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  contactId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockedCampaign(trx, actor.workspaceId, campaignId);
    const n = await repo.deleteMember(trx, actor.workspaceId, campaignId, contactId);
    if (!n) throw new NotFoundError('Campaign member', contactId);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'remove_member',
      entityType: 'campaign',
      entityId: campaignId,
      diff: { contactId },
      at: ctx.clock.now(),
    });
  });
}

export function toMemberDto(r: repo.MemberListRow): CampaignMemberDto {
  const name = [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || r.contact_id;
  return {
    contactId: r.contact_id,
    name,
    email: r.email,
    companyName: r.company_name,
    ownerId: r.owner_id,
    status: r.status,
    source: r.source,
    marketId: r.market_id,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** A campaign's members with their contacts, in the order they joined. */
export async function listMembers(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  q: MemberListQuery,
): Promise<Page<CampaignMemberDto>> {
  const campaign = await repo.findCampaign(ctx.db, actor.workspaceId, campaignId);
  if (!campaign) throw new NotFoundError('Campaign', campaignId);
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listMembers(ctx.db, actor.workspaceId, campaignId, {
    status: q.status,
    actor,
    after: cursor ? { at: String(cursor.v), id: cursor.id } : undefined,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toMemberDto),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor({ v: new Date(last.created_at).toISOString(), id: last.contact_id })
        : null,
  };
}
