import type { TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { LifecycleStage } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';

/** Test helpers for the planning suites (not a test file itself): records written straight in. */

export async function seedContact(
  t: TestBackend,
  ws: string,
  c: { firstTouchAt: Date; stage?: LifecycleStage; ownerId?: string | null; country?: string | null },
): Promise<string> {
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
      owner_id: c.ownerId ?? null,
      country: c.country ?? null,
    })
    .execute();
  return id;
}

export async function seedCompany(t: TestBackend, ws: string, ownerId: string | null): Promise<string> {
  const id = newId('cmp');
  await t.ctx.db
    .insertInto('companies')
    .values({ workspace_id: ws, id, name: `Co ${id}`, owner_id: ownerId, custom: JSON.stringify({}) })
    .execute();
  return id;
}

/** A deal in the default pipeline: won when `wonAt` is given, otherwise open in the first stage. */
export async function seedDeal(
  t: TestBackend,
  admin: TestUser,
  d: { amountMinor: number; currency?: string; ownerId?: string | null; wonAt?: Date; createdAt?: Date },
): Promise<string> {
  await admin.api.get('/api/pipelines'); // makes the default pipeline on first use
  const stages = await t.ctx.db
    .selectFrom('pipeline_stages')
    .select(['id', 'pipeline_id', 'key'])
    .where('workspace_id', '=', admin.workspaceId)
    .execute();
  const stage = stages.find((s) => s.key === (d.wonAt ? 'won' : 'qualified')) ?? stages[0];
  if (!stage) throw new Error('no pipeline stages');
  const id = newId('deal');
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspace_id: admin.workspaceId,
      id,
      pipeline_id: stage.pipeline_id,
      stage_id: stage.id,
      name: `Deal ${id}`,
      contact_id: null,
      owner_id: d.ownerId ?? null,
      amount_minor: String(d.amountMinor),
      currency: d.currency ?? 'USD',
      won_at: d.wonAt ?? null,
      created_at: d.createdAt ?? d.wonAt ?? t.clock.now(),
      stage_changed_at: d.wonAt ?? d.createdAt ?? t.clock.now(),
      custom: JSON.stringify({}),
      products: JSON.stringify([]),
    })
    .execute();
  return id;
}
