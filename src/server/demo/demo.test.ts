import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cloneDatabase, forEachBackend } from '../../../test/harness.ts';
import { countrySchema, emailSchema } from '../../contracts/records.ts';
import type { Database } from '../db/types.ts';
import { asciiSlug, DEMO_STEPS, type DemoStep, generateDemo } from './demo.generator.ts';
import { arrayLiteral } from './demo.repo.ts';
import { Rng } from './demo.rng.ts';

async function snapshot(db: Kysely<Database>, workspaceId: string) {
  const ws = workspaceId;
  return {
    workspace: await db.selectFrom('workspaces').selectAll().where('id', '=', ws).execute(),
    teams: await db.selectFrom('teams').selectAll().where('workspace_id', '=', ws).orderBy('id').execute(),
    members: await db
      .selectFrom('team_members')
      .selectAll()
      .where('workspace_id', '=', ws)
      .orderBy('user_id')
      .execute(),
    users: await db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'locale', 'time_zone', 'created_at'])
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute(),
    fields: await db
      .selectFrom('custom_fields')
      .selectAll()
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute(),
    companies: await db
      .selectFrom('companies')
      .selectAll()
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute(),
    contacts: await db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute(),
  };
}

forEachBackend('demo workspace generator', (t) => {
  const make = (seed: string, contacts = 300, name = 'Demo') =>
    t.ctx.db.transaction().execute((trx) => generateDemo(trx, { workspaceName: name, contacts, seed }));

  it('generates the same workspace, row for row, from the same seed', async () => {
    const world = await make('42');
    const first = await snapshot(t.ctx.db, world.workspaceId);
    const other = await cloneDatabase(t.engine);
    try {
      const again = await other.dbh.db
        .transaction()
        .execute((trx) => generateDemo(trx, { workspaceName: 'Demo', contacts: 300, seed: '42' }));
      expect(again.workspaceId).toBe(world.workspaceId);
      expect(await snapshot(other.dbh.db, again.workspaceId)).toEqual(first);
    } finally {
      await other.dbh.close();
      await other.drop();
    }
    expect(first.contacts).toHaveLength(300);
  });

  it('generates different data from a different seed', async () => {
    const a = await make('1', 100, 'Demo A');
    const b = await make('2', 100, 'Demo A2');
    const emails = async (ws: string) => (await snapshot(t.ctx.db, ws)).contacts.map((c) => c.email).sort();
    expect(await emails(a.workspaceId)).not.toEqual(await emails(b.workspaceId));
  });

  it('makes teams, a user of every role, companies with domains and contacts across markets', async () => {
    const world = await make('7', 2000);
    const s = await snapshot(t.ctx.db, world.workspaceId);
    expect(new Set(s.users.map((u) => u.role))).toEqual(
      new Set(['admin', 'marketing', 'sales_manager', 'sales_rep', 'service']),
    );
    expect(s.teams.length).toBeGreaterThanOrEqual(4);
    expect(s.companies.length).toBe(world.counts.companies);
    expect(s.companies.every((c) => c.domain && c.industry && c.employees && c.country)).toBe(true);
    expect(new Set(s.companies.map((c) => c.domain)).size).toBe(s.companies.length);

    const countries = new Set(s.contacts.map((c) => c.country));
    for (const code of ['DE', 'US', 'CN', 'BR', 'IN', 'FR', 'GB', 'JP']) expect(countries).toContain(code);
    expect(new Set(s.contacts.map((c) => c.language)).size).toBeGreaterThanOrEqual(6);
    expect(s.contacts.some((c) => c.country === 'CN' && /\p{Script=Han}/u.test(c.last_name ?? ''))).toBe(
      true,
    );
    expect(s.contacts.filter((c) => c.owner_id).length).toBeGreaterThan(1000);
    expect(s.contacts.filter((c) => c.company_id).length).toBeGreaterThan(1000);
    expect(s.contacts.filter((c) => c.tags.length > 0).length).toBeGreaterThan(1000);

    const emails = s.contacts.flatMap((c) => (c.email ? [c.email] : []));
    expect(new Set(emails.map((e) => e.toLowerCase())).size).toBe(emails.length);
    for (const e of emails) expect(emailSchema.safeParse(e).success, e).toBe(true);
    for (const c of s.contacts) {
      expect(countrySchema.safeParse(c.country).success).toBe(true);
      expect(c.first_name || c.last_name || c.email).toBeTruthy();
      expect(c.created_at.getTime()).toBeLessThanOrEqual(c.updated_at.getTime());
    }
    // An owned contact sits in its owner's team, so team visibility rules see it.
    const teamOf = new Map(s.members.map((m) => [m.user_id, m.team_id]));
    for (const c of s.contacts.filter((x) => x.owner_id)) expect(c.team_id).toBe(teamOf.get(c.owner_id!));
  });

  it('writes nothing when a step fails', async () => {
    const failing: DemoStep = {
      name: 'explode',
      rows: () => 1,
      run: async () => {
        throw new Error('step failed');
      },
    };
    await expect(
      t.ctx.db
        .transaction()
        .execute((trx) =>
          generateDemo(trx, { workspaceName: 'Broken', contacts: 50, seed: '1' }, {}, [
            ...DEMO_STEPS,
            failing,
          ]),
        ),
    ).rejects.toThrow('step failed');
    expect(
      await t.ctx.db.selectFrom('workspaces').select('id').where('name', '=', 'Broken').execute(),
    ).toEqual([]);
    expect(await t.ctx.db.selectFrom('contacts').select('id').execute()).toEqual([]);
  });

  it('refuses a workspace name that is taken', async () => {
    await make('1', 10, 'Taken');
    await expect(make('2', 10, 'taken')).rejects.toThrow('already exists');
  });

  it('reports progress up to the total', async () => {
    const seen: [number, number][] = [];
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        generateDemo(
          trx,
          { workspaceName: 'Progress', contacts: 120, seed: '1' },
          { onProgress: (done, total) => seen.push([done, total]) },
        ),
      );
    const last = seen.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((x, y) => x - y));
  });
});

describe('demo building blocks', () => {
  it('repeats a random stream for the same seed and diverges for another', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const seq = (r: Rng) => Array.from({ length: 5 }, () => r.next());
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
  });

  it('makes ids in the app’s format that sort by time', () => {
    const r = new Rng('ids');
    const early = r.id('ctc', Date.UTC(2025, 0, 1));
    const late = r.id('ctc', Date.UTC(2026, 0, 1));
    expect(early).toMatch(/^ctc_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(early < late).toBe(true);
  });

  it('escapes array literals and folds names to ASCII', () => {
    expect(arrayLiteral(['a', 'b "c"', 'd\\e'])).toBe('{"a","b \\"c\\"","d\\\\e"}');
    expect(asciiSlug('Lefèvre')).toBe('lefevre');
    expect(asciiSlug('Weiß')).toBe('weiss');
    expect(asciiSlug('Serra Azul', '-')).toBe('serra-azul');
  });
});
