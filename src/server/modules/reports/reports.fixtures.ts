import { sql } from 'kysely';
import type { TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { CampaignChannel, LifecycleStage } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';
import { ensureTouchPartitions, writeTouches } from '../touches/touches.service.ts';

/** Test helpers for the reports suites (not a test file itself): records written straight in. */

export interface ContactSeed {
  firstTouchAt: Date;
  stage?: LifecycleStage;
  source?: string | null;
  campaignId?: string | null;
  country?: string | null;
  ownerId?: string | null;
}

export async function seedContact(t: TestBackend, ws: string, c: ContactSeed): Promise<string> {
  const id = newId('ctc');
  await t.ctx.db
    .insertInto('contacts')
    .values({
      workspace_id: ws,
      id,
      email: `${id}@example.com`,
      custom: JSON.stringify({}),
      first_touch_at: c.firstTouchAt,
      created_at: c.firstTouchAt,
      lifecycle_stage: c.stage ?? 'lead',
      source_channel: c.source ?? null,
      // A recorded source is final: later touches do not overwrite it (as an import's origin column).
      source_set_at: c.source || c.campaignId ? c.firstTouchAt : null,
      source_campaign_id: c.campaignId ?? null,
      country: c.country ?? null,
      owner_id: c.ownerId ?? null,
    })
    .execute();
  return id;
}

export async function stageIds(
  t: TestBackend,
  admin: TestUser,
): Promise<Record<string, { id: string; pipelineId: string }>> {
  await admin.api.get('/api/pipelines'); // makes the default pipeline on first use
  const rows = await t.ctx.db
    .selectFrom('pipeline_stages')
    .select(['id', 'pipeline_id', 'key'])
    .where('workspace_id', '=', admin.workspaceId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, { id: r.id, pipelineId: r.pipeline_id }]));
}

export interface DealSeed {
  contactId: string | null;
  amountMinor: number | null;
  currency?: string;
  createdAt: Date;
  wonAt?: Date | null;
  lostAt?: Date | null;
  stageKey?: string;
  ownerId?: string | null;
}

export async function seedDeal(
  t: TestBackend,
  ws: string,
  stages: Record<string, { id: string; pipelineId: string }>,
  d: DealSeed,
): Promise<string> {
  const id = newId('deal');
  const key = d.stageKey ?? (d.wonAt ? 'won' : d.lostAt ? 'lost' : 'qualified');
  const stage = stages[key];
  if (!stage) throw new Error(`no stage ${key}`);
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspace_id: ws,
      id,
      pipeline_id: stage.pipelineId,
      stage_id: stage.id,
      name: `Deal ${id}`,
      custom: JSON.stringify({}),
      products: JSON.stringify([]),
      contact_id: d.contactId,
      owner_id: d.ownerId ?? null,
      amount_minor: d.amountMinor === null ? null : String(d.amountMinor),
      currency: d.currency ?? 'USD',
      won_at: d.wonAt ?? null,
      lost_at: d.lostAt ?? null,
      created_at: d.createdAt,
      stage_changed_at: d.wonAt ?? d.lostAt ?? d.createdAt,
    })
    .execute();
  // History as the pipeline writes it: the first stage at creation, then the closing move.
  const first = stages.qualified ?? stage;
  const closed = d.wonAt ?? d.lostAt;
  await t.ctx.db
    .insertInto('deal_stage_history')
    .values([
      {
        workspace_id: ws,
        id: newId('dsh'),
        deal_id: id,
        pipeline_id: stage.pipelineId,
        from_stage_id: null,
        to_stage_id: closed ? first.id : stage.id,
        at: d.createdAt,
      },
      ...(closed
        ? [
            {
              workspace_id: ws,
              id: newId('dsh'),
              deal_id: id,
              pipeline_id: stage.pipelineId,
              from_stage_id: first.id,
              to_stage_id: stage.id,
              at: closed,
            },
          ]
        : []),
    ])
    .execute();
  return id;
}

export interface TouchSeed {
  contactId: string;
  at: Date;
  campaignId?: string | null;
  channel?: string | null;
  type?: string;
  direction?: 'marketing' | 'sales';
}

/** Writes touches through the touch module (contact aggregates kept in step). */
export async function seedTouches(t: TestBackend, ws: string, touches: TouchSeed[]): Promise<string[]> {
  await ensureTouchPartitions(
    t.ctx,
    touches.map((x) => x.at),
  );
  const rows = touches.map((x) => ({
    id: newId('tch'),
    occurredAt: x.at,
    contactId: x.contactId,
    companyId: null,
    campaignId: x.campaignId ?? null,
    userId: null,
    type: x.type ?? 'email_click',
    direction: x.direction ?? 'marketing',
    channel: x.channel ?? null,
    metadata: {},
    utm: {},
  }));
  await t.ctx.db.transaction().execute((trx) => writeTouches(trx, ws, rows, t.clock.now(), t.ctx));
  return rows.map((r) => r.id);
}

/** A campaign with one cost line (amount in minor units). */
export async function seedCampaign(
  t: TestBackend,
  ws: string,
  c: {
    name: string;
    channel: CampaignChannel;
    costMinor: number;
    on: string;
    currency?: string;
    markets?: string[];
  },
): Promise<string> {
  const id = newId('cam');
  await t.ctx.db
    .insertInto('campaigns')
    .values({
      workspace_id: ws,
      id,
      name: c.name,
      channel: c.channel,
      currency: c.currency ?? 'USD',
      markets: c.markets ?? [],
    })
    .execute();
  await t.ctx.db
    .insertInto('campaign_cost_lines')
    .values({
      workspace_id: ws,
      id: newId('ccl'),
      campaign_id: id,
      incurred_on: c.on,
      amount_minor: c.costMinor,
      currency: c.currency ?? 'USD',
      category: 'media',
    })
    .execute();
  return id;
}

export async function moveStage(t: TestBackend, ws: string, contactId: string, to: LifecycleStage, at: Date) {
  await sql`INSERT INTO lifecycle_transitions (workspace_id, id, contact_id, from_stage, to_stage, cause, at)
    VALUES (${ws}, ${newId('ltr')}, ${contactId}, 'lead', ${to}, 'rule', ${at})`.execute(t.ctx.db);
  await t.ctx.db
    .updateTable('contacts')
    .set({ lifecycle_stage: to, stage_at: at })
    .where('workspace_id', '=', ws)
    .where('id', '=', contactId)
    .execute();
}

const at = (s: string) => new Date(`${s}T00:00:00Z`);

/**
 * A small world: 6 January/February leads from web and ads; four reach mql, three sql, two get a
 * deal, one wins. Touches: the winner has 4 (form, click, call, and one after the win).
 */
export async function seedWorld(t: TestBackend, admin: TestUser) {
  const ws = admin.workspaceId;
  const stages = await stageIds(t, admin);
  const ads = await seedCampaign(t, ws, {
    name: 'Spring ads',
    channel: 'ads',
    costMinor: 10_000,
    on: '2026-01-02',
  });
  const c = [
    await seedContact(t, ws, { firstTouchAt: at('2026-01-05'), source: 'web', country: 'DE' }),
    await seedContact(t, ws, { firstTouchAt: at('2026-01-10'), source: 'web', country: 'DE' }),
    await seedContact(t, ws, {
      firstTouchAt: at('2026-01-20'),
      campaignId: ads,
      source: 'ads',
      country: 'FR',
    }),
    await seedContact(t, ws, {
      firstTouchAt: at('2026-02-01'),
      campaignId: ads,
      source: 'ads',
      country: 'FR',
    }),
    await seedContact(t, ws, { firstTouchAt: at('2026-02-10'), source: 'web' }),
    await seedContact(t, ws, { firstTouchAt: at('2026-02-20'), source: 'web' }),
  ];
  await moveStage(t, ws, c[0]!, 'mql', at('2026-01-07'));
  await moveStage(t, ws, c[0]!, 'sql', at('2026-01-11'));
  await moveStage(t, ws, c[1]!, 'mql', at('2026-01-20'));
  await moveStage(t, ws, c[1]!, 'sql', at('2026-01-25'));
  await moveStage(t, ws, c[2]!, 'mql', at('2026-03-01'));
  await moveStage(t, ws, c[2]!, 'sql', at('2026-03-02'));
  await moveStage(t, ws, c[3]!, 'mql', at('2026-02-03'));
  // c0 wins (deal created 15 Jan, won 4 Feb), c1 has an open deal; c2 reached sql only.
  const won = await seedDeal(t, ws, stages, {
    contactId: c[0]!,
    amountMinor: 90_000,
    createdAt: at('2026-01-15'),
    wonAt: at('2026-02-04'),
  });
  await seedDeal(t, ws, stages, { contactId: c[1]!, amountMinor: 50_000, createdAt: at('2026-01-30') });
  // A won deal with one touch (c3) and one with none (c4).
  const one = await seedDeal(t, ws, stages, {
    contactId: c[3]!,
    amountMinor: 30_000,
    createdAt: at('2026-02-05'),
    wonAt: at('2026-02-25'),
  });
  await seedTouches(t, ws, [
    { contactId: c[0]!, at: at('2026-01-05'), type: 'form_submit', channel: 'web' },
    { contactId: c[0]!, at: at('2026-01-08'), type: 'ad_click', campaignId: ads, channel: 'ads' },
    { contactId: c[0]!, at: at('2026-01-20'), type: 'call', direction: 'sales', channel: 'phone' },
    { contactId: c[0]!, at: at('2026-02-10'), type: 'call', direction: 'sales', channel: 'phone' },
    { contactId: c[3]!, at: at('2026-02-01'), type: 'ad_click', campaignId: ads, channel: 'ads' },
  ]);
  return { c, won, one, ads };
}
