import { COMPANY_SIZES, COMPANY_TAGS, INDUSTRIES, MARKETS } from '../demo.data.ts';
import { asciiSlug, type DemoCompany, type DemoRun, type DemoStep } from '../demo.generator.ts';
import { BATCH_ROWS, bulkInsert, TABLES } from '../demo.repo.ts';
import { ownersByMarket, phoneNumber } from './people.ts';

/** About one company per twelve contacts, at least five. */
export function companyCount(contacts: number): number {
  return Math.max(5, Math.round(contacts / 12));
}

/** Companies across the markets, with unique domains, industries, sizes, owners and tags. */
export const companiesStep: DemoStep = {
  name: 'companies',
  rows: (o) => companyCount(o.contacts),
  async run(run: DemoRun) {
    const { db, rng, world, options } = run;
    const n = companyCount(options.contacts);
    const owners = ownersByMarket(world);
    const domains = new Set<string>();
    const names = new Set<string>();
    let rows: unknown[][] = [];
    for (let i = 0; i < n; i++) {
      const market = rng.weighted(MARKETS.map((m) => [m, m.weight] as const));
      const root = rng.pick(market.companyRoots);
      let name = rng.pick(market.companyForms).replace('{root}', root);
      for (let k = 2; names.has(name); k++)
        name = `${rng.pick(market.companyForms).replace('{root}', `${root} ${k}`)}`;
      names.add(name);
      const stem = asciiSlug(
        name.replace(/\b(co|ltd|inc|llc|corp|gmbh|ag|kg|sa|sas|sarl|srl|spa|pvt|plc|kk)\b\.?/gi, ''),
        '-',
      );
      let domain = `${stem}.${market.tld}`;
      for (let k = 2; domains.has(domain); k++) domain = `${stem}${k}.${market.tld}`;
      domains.add(domain);
      const [min, max] = rng.weighted(COMPANY_SIZES.map(([lo, hi, w]) => [[lo, hi] as const, w] as const));
      const created = run.pastTime(rng, 760);
      const updated = new Date(
        created.getTime() + Math.floor(rng.next() * (options.anchor.getTime() - created.getTime()) * 0.5),
      );
      const owner = rng.chance(0.8) ? rng.pick(owners(market.code)) : null;
      const company: DemoCompany = {
        id: rng.id('cmp', created.getTime()),
        name,
        domain,
        country: market.code,
        ownerId: owner?.id ?? null,
        teamId: owner?.teamId ?? null,
      };
      world.companies.push(company);
      rows.push([
        world.workspaceId,
        company.id,
        name,
        domain,
        `https://www.${domain}`,
        rng.pick(INDUSTRIES),
        rng.int(min, max),
        market.code,
        rng.chance(0.85) ? phoneNumber(rng, market) : null,
        company.ownerId,
        company.teamId,
        rng.some(COMPANY_TAGS, 2),
        {
          customer_tier: rng.weighted([
            ['A', 1],
            ['B', 3],
            ['C', 6],
          ] as const),
          annual_volume: rng.int(1, 500) * 10_000,
        },
        created,
        updated,
      ]);
      if (rows.length === BATCH_ROWS * 5 || i === n - 1) {
        await bulkInsert(db, TABLES.companies, rows);
        run.progress(rows.length);
        rows = [];
      }
    }
    world.counts.companies = n;
  },
};
