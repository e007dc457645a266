import { CONTACT_TAGS, MARKETS, type Market, SOURCE_CHANNELS, TITLES } from '../demo.data.ts';
import { asciiSlug, type DemoCompany, type DemoRun, type DemoStep } from '../demo.generator.ts';
import { BATCH_ROWS, bulkInsert, TABLES } from '../demo.repo.ts';
import type { Rng } from '../demo.rng.ts';
import { ownersByMarket, phoneNumber } from './people.ts';

const CHUNK = BATCH_ROWS * 5;

function preferredChannel(rng: Rng, market: string): string {
  if (market === 'CN')
    return rng.weighted([
      ['wechat', 7],
      ['email', 2],
      ['phone', 1],
    ] as const);
  if (market === 'JP')
    return rng.weighted([
      ['line', 4],
      ['email', 5],
      ['phone', 1],
    ] as const);
  if (market === 'KR')
    return rng.weighted([
      ['kakaotalk', 5],
      ['email', 4],
      ['phone', 1],
    ] as const);
  if (['BR', 'IN', 'MX'].includes(market))
    return rng.weighted([
      ['whatsapp', 6],
      ['email', 3],
      ['phone', 1],
    ] as const);
  return rng.weighted([
    ['email', 7],
    ['phone', 3],
  ] as const);
}

function localPart(rng: Rng, first: string, last: string): string {
  const f = asciiSlug(first);
  const l = asciiSlug(last);
  return rng.weighted([
    [`${f}.${l}`, 6],
    [`${f}${l}`, 2],
    [`${f.slice(0, 1)}.${l}`, 2],
    [`${f}_${l}${rng.int(1, 99)}`, 1],
  ] as const);
}

/**
 * Contacts across the markets (in their own script where that is how people write their names),
 * linked to companies, with unique e-mail addresses, owners from the team that covers the market,
 * language, tags, source channel and custom fields. Written in chunks, so 100,000 take seconds.
 */
export const contactsStep: DemoStep = {
  name: 'contacts',
  rows: (o) => o.contacts,
  async run(run: DemoRun) {
    const { db, rng, world, options } = run;
    const owners = ownersByMarket(world);
    const byCountry = new Map<string, DemoCompany[]>();
    for (const c of world.companies) {
      const list = byCountry.get(c.country) ?? [];
      list.push(c);
      byCountry.set(c.country, list);
    }
    const marketWeights = MARKETS.map((m) => [m, m.weight] as const);
    const emails = new Set<string>();
    let rows: unknown[][] = [];
    for (let i = 0; i < options.contacts; i++) {
      const market: Market = rng.weighted(marketWeights);
      const [first, firstAscii] = rng.pick(market.firstNames);
      const [last, lastAscii] = rng.pick(market.lastNames);
      const local = byCountry.get(market.code);
      const company = rng.chance(0.75)
        ? local && rng.chance(0.85)
          ? rng.pick(local)
          : rng.pick(world.companies)
        : null;
      let email: string | null = null;
      if (rng.chance(0.97)) {
        const lp = localPart(rng, firstAscii, lastAscii);
        const domain = company && rng.chance(0.6) ? company.domain : rng.pick(market.freeMail);
        email = `${lp}@${domain}`;
        for (let k = 2; emails.has(email); k++) email = `${lp}${k}@${domain}`;
        emails.add(email);
      }
      const created = run.pastTime(rng, 730);
      const span = options.anchor.getTime() - created.getTime();
      const updated = new Date(created.getTime() + Math.floor(rng.next() * span * 0.5));
      const owner =
        company?.ownerId && rng.chance(0.7)
          ? world.users.find((u) => u.id === company.ownerId)
          : rng.chance(0.75)
            ? rng.pick(owners(market.code))
            : undefined;
      rows.push([
        world.workspaceId,
        rng.id('ctc', created.getTime()),
        email && rng.chance(0.02) ? null : first,
        last,
        email,
        rng.chance(0.75) ? phoneNumber(rng, market) : null,
        rng.chance(0.85) ? rng.pick(TITLES) : null,
        company?.id ?? null,
        company?.name ?? null,
        owner?.id ?? null,
        owner?.teamId ?? null,
        market.code,
        market.language,
        rng.some(CONTACT_TAGS, 3),
        { preferred_channel: preferredChannel(rng, market.code), newsletter: rng.chance(0.4) },
        rng.weighted(SOURCE_CHANNELS),
        created,
        created,
        updated,
      ]);
      if (rows.length === CHUNK || i === options.contacts - 1) {
        await bulkInsert(db, TABLES.contacts, rows);
        run.progress(rows.length);
        rows = [];
      }
    }
    world.counts.contacts = options.contacts;
  },
};
