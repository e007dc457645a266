import type { Market } from '../demo.data.ts';
import type { DemoUser, DemoWorld } from '../demo.generator.ts';
import type { Rng } from '../demo.rng.ts';

/** The salespeople who cover a market (their team's reps and manager); everyone in sales if none. */
export function ownersByMarket(world: DemoWorld): (market: string) => readonly DemoUser[] {
  const sales = world.users.filter((u) => u.role === 'sales_rep' || u.role === 'sales_manager');
  const cache = new Map<string, DemoUser[]>();
  return (market) => {
    let owners = cache.get(market);
    if (!owners) {
      const team = world.teams.find((t) => t.markets.includes(market));
      owners = sales.filter((u) => team && u.teamId === team.id);
      if (owners.length === 0) owners = sales;
      cache.set(market, owners);
    }
    return owners;
  };
}

export function phoneNumber(rng: Rng, market: Market): string {
  const digits = Array.from({ length: 9 }, () => rng.int(0, 9)).join('');
  return `${market.phonePrefix} ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
