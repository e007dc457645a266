import type { AppContext } from '../../http/context.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import * as repo from './scoring.repo.ts';
import { afterScoring, loadModel } from './scoring.service.ts';

/**
 * Contacts per recompute batch: one transaction and a few set-based statements each (score, history
 * rows, stage moves), progress committed with it. Big enough that per-batch overhead vanishes at a
 * million contacts, small enough that a batch holds its row locks for about a second.
 */
export const RECOMPUTE_BATCH = 20_000;
/** Contacts per decay batch. */
const DECAY_BATCH = 1000;

export interface RecomputeScoresData {
  workspaceId: string;
  recomputeId: string;
}

/**
 * Rescores every contact of a workspace after its model changed, in keyset batches: a range of ids
 * scored by one UPDATE (rows whose score parts do not change are not rewritten). Each batch commits
 * its scores together with the recompute's progress (after_id), under a lock on the recompute row:
 * a crashed or retried job resumes after the last committed batch and never scores a batch twice,
 * and a second worker waits instead of doing the same work. Contacts that reach the MQL threshold
 * move to `mql` in the batch, set-based; their routing is a job (lifecycle promoteToMql). Stops
 * when a newer model superseded this recompute. Returns the number of contacts scored by this
 * call (`maxBatches` stops early, as a crash after a commit would).
 */
export async function recomputeScores(
  ctx: AppContext,
  workspaceId: string,
  recomputeId: string,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? RECOMPUTE_BATCH;
  let scored = 0;
  for (let batch = 0; batch < (opts.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
    const more = await ctx.db.transaction().execute(async (trx) => {
      const rc = await repo.findRecompute(trx, workspaceId, recomputeId, { forUpdate: true });
      if (!rc || rc.status === 'done' || rc.status === 'superseded') return false;
      const { model } = await loadModel(trx, workspaceId);
      const now = ctx.clock.now();
      const range = await repo.nextContactRange(trx, workspaceId, rc.after_id, batchSize);
      if (!range) {
        await repo.advanceRecompute(trx, workspaceId, recomputeId, {
          afterId: rc.after_id,
          processed: 0,
          changed: 0,
          done: true,
          at: now,
        });
        return false;
      }
      const changes = await repo.scoreContacts(trx, workspaceId, model, now, 'range', {
        kind: 'full',
        lo: range.lo,
        hi: range.hi,
      });
      await afterScoring(trx, ctx, workspaceId, model, changes, now, undefined, { bulk: true });
      await repo.advanceRecompute(trx, workspaceId, recomputeId, {
        afterId: range.hi,
        processed: range.n,
        changed: changes.filter((c) => c.old_temperature !== c.temperature).length,
        done: false,
        at: now,
      });
      scored += range.n;
      return true;
    });
    if (!more) return scored;
  }
  return scored;
}

export function recomputeScoresJob(ctx: AppContext): JobDefinition<RecomputeScoresData> {
  return {
    name: 'recomputeScores',
    retryLimit: 5,
    retryDelay: 10,
    run: async (d) => {
      await recomputeScores(ctx, d.workspaceId, d.recomputeId);
    },
  };
}

/**
 * Lets time cool leads down without rescanning: only contacts whose stored due time has passed (their
 * decayed score fell below their temperature's threshold) are rescored, from stored values, in
 * batches. Each gets its new temperature, a history row, and its next due time. Returns how many.
 */
export async function applyScoreDecay(ctx: AppContext, batchSize = DECAY_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock.now();
    const due = await repo.dueContacts(ctx.db, now, batchSize);
    if (!due.length) return total;
    const byWorkspace = new Map<string, string[]>();
    for (const d of due) byWorkspace.set(d.workspace_id, [...(byWorkspace.get(d.workspace_id) ?? []), d.id]);
    for (const [workspaceId, ids] of byWorkspace) {
      await ctx.db.transaction().execute(async (trx) => {
        const { model } = await loadModel(trx, workspaceId);
        const changes = await repo.scoreContacts(trx, workspaceId, model, now, ids, { kind: 'keep' });
        await afterScoring(trx, ctx, workspaceId, model, changes, now);
      });
    }
    total += due.length;
    if (due.length < batchSize) return total;
  }
}

export function applyScoreDecayJob(ctx: AppContext): JobDefinition<Record<string, never>> {
  return {
    name: 'applyScoreDecay',
    cron: '*/15 * * * *',
    retryLimit: 3,
    run: async () => {
      await applyScoreDecay(ctx);
    },
  };
}
