import { getBoard } from '../src/server/modules/deals/deals.board.ts';
import { setExchangeRate } from '../src/server/modules/deals/deals.currency.ts';
import { createDeal, moveDeal } from '../src/server/modules/deals/deals.service.ts';
import type { Actor } from '../src/server/modules/workspaces/workspaces.policy.ts';
import type { Runtime } from '../src/server/runtime.ts';
import { type Stats, sample, stats } from './lib.ts';

export interface DealFigures {
  /** Creating one deal on an existing contact (stage history, audit). */
  create: Stats;
  /** Moving a deal one stage on (history, audit). */
  move: Stats;
  /** The whole board with its column sums converted from three currencies. */
  board: Stats & { deals: number };
}

/** `n` deals in USD, EUR and CNY on one contact, then the board and stage moves. */
export async function dealFigures(
  rt: Runtime,
  actor: Actor,
  contactId: string,
  n: number,
): Promise<DealFigures> {
  const today = rt.ctx.clock.now().toISOString().slice(0, 10);
  await setExchangeRate(rt.ctx, actor, { base: 'EUR', quote: 'USD', onDate: today, rate: '1.08' });
  await setExchangeRate(rt.ctx, actor, { base: 'CNY', quote: 'USD', onDate: today, rate: '0.138' });
  const currencies = ['USD', 'EUR', 'CNY'];
  const ids: string[] = [];
  const create = await sample(n, async (i) => {
    const d = await createDeal(rt.ctx, actor, {
      name: `Bench deal ${i}`,
      contactId,
      amountMinor: 10_000 + i * 17,
      currency: currencies[Math.abs(i) % 3]!,
    });
    ids.push(d.id);
  });
  // Each call (warm-ups included) moves a deal that has not moved yet.
  let next = 0;
  const move = await sample(Math.min(n - 3, 50), () =>
    moveDeal(rt.ctx, actor, ids[next++]!, { stageKey: 'quote_sent' }),
  );
  const board = await sample(20, () => getBoard(rt.ctx, actor, { limit: 100 }));
  return {
    create: stats(create.samples),
    move: stats(move.samples),
    board: { ...stats(board.samples), deals: n },
  };
}
