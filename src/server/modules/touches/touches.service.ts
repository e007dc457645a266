import type { Transaction } from 'kysely';
import {
  type BuiltInTouchType,
  DEFAULT_DIRECTION,
  type Direction,
  type TimelineItem,
  type TimelineQuery,
  type TouchDto,
  type TouchInput,
} from '../../../contracts/touches.ts';
import { retryOnConflict } from '../../db/retry.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import { onTouchesWritten } from '../lifecycle/lifecycle.hooks.ts';
import { rescoreContacts } from '../scoring/scoring.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './touches.repo.ts';

/** The channel a touch type implies, used as the contact's source channel when none is given. */
const CHANNEL_OF_TYPE: Partial<Record<BuiltInTouchType, string>> = {
  email_sent: 'email',
  email_open: 'email',
  email_click: 'email',
  email_reply: 'email',
  form_submit: 'web',
  page_view: 'web',
  content_view: 'content',
  trade_show_scan: 'trade_show',
  call: 'phone',
  meeting: 'meeting',
  letter: 'direct_mail',
  seminar: 'seminar',
  webinar: 'webinar',
  direct_mail: 'direct_mail',
  ad_click: 'ads',
};

export function toTouchDto(r: repo.TouchRow): TouchDto {
  return {
    id: r.id,
    contactId: r.contact_id,
    companyId: r.company_id,
    campaignId: r.campaign_id,
    userId: r.user_id,
    type: r.type,
    direction: r.direction,
    channel: r.channel,
    occurredAt: new Date(r.occurred_at).toISOString(),
    metadata: r.metadata,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function monthOf(d: Date): string {
  return `${d.toISOString().slice(0, 7)}-01`;
}

export interface LoggedTouch {
  id: string;
  duplicate: boolean;
}

/**
 * Logs touches (one or a batch of up to 1,000) in one transaction. Each may carry an idempotency
 * key: a repeated key is a no-op that returns the original touch, so retries never duplicate.
 * Every touch must name a live contact the actor can see; any bad item rejects the whole batch and
 * nothing is written. The first touch of a contact sets its source once.
 */
export async function logTouches(
  ctx: AppContext,
  actor: Actor,
  inputs: TouchInput[],
  fieldPrefix = 'touches',
): Promise<LoggedTouch[]> {
  const ws = actor.workspaceId;
  const now = ctx.clock.now();
  const contacts = await repo.findContactRefs(ctx.db, actor, {
    ids: unique(inputs.map((t) => t.contactId)),
    emails: unique(inputs.map((t) => t.contactEmail?.toLowerCase())),
    externalIds: unique(inputs.map((t) => t.contactExternalId)),
  });
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const byEmail = new Map(contacts.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), c]));
  const byExternal = new Map(contacts.filter((c) => c.external_id).map((c) => [c.external_id!, c]));

  const errors: FieldErrors = {};
  const prepared = inputs.map((t, i) => {
    const contact =
      (t.contactId && byId.get(t.contactId)) ||
      (t.contactEmail && byEmail.get(t.contactEmail.toLowerCase())) ||
      (t.contactExternalId && byExternal.get(t.contactExternalId)) ||
      undefined;
    const at = fieldPrefix ? `${fieldPrefix}.${i}.` : '';
    if (!contact) {
      const key = t.contactId ? 'contactId' : t.contactEmail ? 'contactEmail' : 'contactExternalId';
      errors[`${at}${key}`] = 'no such contact in this workspace';
    }
    const occurredAt = t.occurredAt ? new Date(t.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime() + 5 * 60_000) errors[`${at}occurredAt`] = 'is in the future';
    const direction: Direction =
      t.direction ??
      (t.type in DEFAULT_DIRECTION ? DEFAULT_DIRECTION[t.type as BuiltInTouchType] : 'marketing');
    return { input: t, contact, occurredAt, direction, id: newId('tch', occurredAt.getTime()) };
  });
  if (Object.keys(errors).length)
    throw new ValidationError('Some touches are invalid; nothing was logged', errors);

  await ensureTouchPartitions(
    ctx,
    prepared.map((p) => p.occurredAt),
  );

  const logged = await retryOnConflict(() =>
    ctx.db.transaction().execute(async (trx) => {
      // Keys repeated inside one batch count once: the first occurrence wins.
      const firstWithKey = new Map<string, (typeof prepared)[number]>();
      for (const p of prepared) {
        const k = p.input.idempotencyKey;
        if (k && !firstWithKey.has(k)) firstWithKey.set(k, p);
      }
      const claimed = await repo.claimKeys(
        trx,
        ws,
        [...firstWithKey.entries()].map(([key, p]) => ({ key, touchId: p.id, occurredAt: p.occurredAt })),
      );
      const existing = await repo.findKeys(
        trx,
        ws,
        [...firstWithKey.keys()].filter((k) => !claimed.has(k)),
      );
      const results: LoggedTouch[] = [];
      const fresh: typeof prepared = [];
      for (const p of prepared) {
        const k = p.input.idempotencyKey;
        if (k && (firstWithKey.get(k) !== p || !claimed.has(k))) {
          const original = existing.get(k)?.touchId ?? firstWithKey.get(k)!.id;
          results.push({ id: original, duplicate: true });
          continue;
        }
        fresh.push(p);
        results.push({ id: p.id, duplicate: false });
      }
      await writeTouches(
        trx,
        ws,
        fresh.map((p) => ({
          id: p.id,
          occurredAt: p.occurredAt,
          contactId: p.contact!.id,
          companyId: p.input.companyId ?? p.contact!.company_id,
          campaignId: p.input.campaignId ?? null,
          userId: p.input.userId ?? (p.direction === 'sales' ? actor.userId : null),
          type: p.input.type,
          direction: p.direction,
          channel: p.input.channel ?? CHANNEL_OF_TYPE[p.input.type as BuiltInTouchType] ?? null,
          metadata: p.input.metadata ?? {},
          utm: p.input.utm ?? {},
        })),
        now,
        ctx,
      );
      return results;
    }),
  );
  await repo.analyzeNewPartitions(
    ctx.db,
    prepared.map((p) => monthOf(p.occurredAt)),
  );
  return logged;
}

/** A touch ready to store: its contact resolved, its id made. */
export interface NewTouch {
  id: string;
  occurredAt: Date;
  contactId: string;
  companyId: string | null;
  campaignId: string | null;
  userId: string | null;
  type: string;
  direction: Direction;
  channel: string | null;
  metadata: Record<string, unknown>;
  /** Where the prospect came from; becomes the contact's source if this is its first touch. */
  utm: { source?: string | null; medium?: string | null; campaign?: string | null; referrer?: string | null };
}

/**
 * Stores touches in the caller's transaction and keeps each contact's touch count, first/last touch
 * and first-touch source in step. Every writer of touches goes through here (the touch API, form
 * submissions), so those rules hold everywhere. Call ensureTouchPartitions first, outside the transaction.
 * The touched contacts are rescored in the same transaction (scoring module: score, temperature).
 */
export async function writeTouches(
  trx: Transaction<Database>,
  workspaceId: string,
  touches: NewTouch[],
  now: Date,
  ctx: AppContext,
): Promise<void> {
  await repo.insertTouches(
    trx,
    touches.map((t) => ({
      workspace_id: workspaceId,
      id: t.id,
      occurred_at: t.occurredAt,
      contact_id: t.contactId,
      company_id: t.companyId,
      campaign_id: t.campaignId,
      user_id: t.userId,
      type: t.type,
      direction: t.direction,
      channel: t.channel,
      metadata: t.metadata,
    })),
  );
  await repo.applyContactAggregates(trx, workspaceId, aggregate(touches), now);
  await rescoreContacts(
    trx,
    ctx,
    workspaceId,
    touches.map((t) => t.contactId),
    {
      touches: touches.map((t) => ({
        id: t.id,
        contactId: t.contactId,
        type: t.type,
        occurredAt: t.occurredAt,
      })),
    },
  );
  // After rescoring, so routing sees the current temperature (1 h SLA for hot leads).
  // Lifecycle hook: a sales touch stops the lead's SLA clock; a hand-raise makes the contact an MQL.
  await onTouchesWritten(trx, ctx, workspaceId, touches);
}

/** Creates the monthly partitions these times fall in (a short statement each, before the write). */
export async function ensureTouchPartitions(ctx: AppContext, times: Date[]): Promise<void> {
  await repo.ensurePartitions(ctx.db, new Set(times.map(monthOf)));
}

function aggregate(touches: NewTouch[]): repo.ContactTouchAggregate[] {
  const byContact = new Map<string, repo.ContactTouchAggregate>();
  for (const t of touches) {
    const source = {
      channel: t.channel,
      campaignId: t.campaignId,
      utmSource: t.utm.source ?? null,
      utmMedium: t.utm.medium ?? null,
      utmCampaign: t.utm.campaign ?? null,
      referrer: t.utm.referrer ?? null,
    };
    const a = byContact.get(t.contactId);
    if (!a) {
      byContact.set(t.contactId, {
        contactId: t.contactId,
        count: 1,
        firstAt: t.occurredAt,
        lastAt: t.occurredAt,
        source,
      });
      continue;
    }
    a.count++;
    if (t.occurredAt < a.firstAt) {
      a.firstAt = t.occurredAt;
      a.source = source;
    }
    if (t.occurredAt > a.lastAt) a.lastAt = t.occurredAt;
  }
  return [...byContact.values()];
}

export async function getTouches(ctx: AppContext, workspaceId: string, ids: string[]): Promise<TouchDto[]> {
  const rows = await repo.findTouches(ctx.db, workspaceId, ids);
  const byId = new Map(rows.map((r) => [r.id, toTouchDto(r)]));
  return ids.map((id) => byId.get(id)).filter((t): t is TouchDto => Boolean(t));
}

/**
 * A contact's or company's timeline: touches and record changes, newest first. The caller has
 * already checked the record is visible to the actor.
 */
export async function recordTimeline(
  ctx: AppContext,
  workspaceId: string,
  subject: repo.TimelineFilter['subject'],
  q: TimelineQuery,
): Promise<Page<TimelineItem>> {
  const cursor = decodeCursor(q.cursor);
  const touchOnlyFilter = Boolean(q.type || q.direction);
  const rows = await repo.timeline(ctx.db, workspaceId, {
    subject,
    includeTouches: q.kind !== 'change',
    includeChanges: q.kind !== 'touch' && !touchOnlyFilter,
    type: q.type,
    direction: q.direction,
    before: cursor ? { at: new Date(String(cursor.v)), id: cursor.id } : undefined,
    limit: q.limit + 1,
  });
  const items: TimelineItem[] = rows.slice(0, q.limit).map((r) => {
    const at = new Date(r.at).toISOString();
    if (r.kind === 'touch') {
      return {
        kind: 'touch',
        at,
        id: r.id,
        touch: toTouchDto({
          workspace_id: workspaceId,
          id: r.id,
          occurred_at: r.at,
          contact_id: r.touch_contact_id!,
          company_id: r.company_id,
          campaign_id: r.campaign_id,
          user_id: r.user_id,
          type: r.type!,
          direction: r.direction!,
          channel: r.channel,
          metadata: r.metadata ?? {},
          created_at: r.created_at!,
        }),
      };
    }
    return {
      kind: 'change',
      at,
      id: r.id,
      change: {
        action: r.action!,
        actorLabel: r.actor_label!,
        entityType: r.entity_type!,
        entityId: r.entity_id,
        diff: r.diff ?? {},
      },
    };
  });
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: last.at, id: last.id }) : null,
  };
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}
