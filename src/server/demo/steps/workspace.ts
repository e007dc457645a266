import type { Role } from '../../db/types.ts';
import { ConflictError } from '../../lib/errors.ts';
import { appendAudit } from '../../modules/governance/governance.repo.ts';
import { hashPassword } from '../../modules/workspaces/password.ts';
import { MARKETING_TEAM, MARKETS, type Market, TEAMS } from '../demo.data.ts';
import { asciiSlug, type DemoRun, type DemoStep, type DemoUser } from '../demo.generator.ts';
import { bulkInsert, idTaken, slugTaken, TABLES, workspaceNameTaken } from '../demo.repo.ts';

export const DEMO_ACTOR = 'tandem demo';

/** Sales reps grow with the data (about one per 2,500 contacts), within 3..60. */
export function repCount(contacts: number): number {
  return Math.min(60, Math.max(3, Math.ceil(contacts / 2500)));
}

/** Custom fields every demo workspace defines; the contact and company steps fill them. */
export const DEMO_CUSTOM_FIELDS = [
  {
    entity: 'contact',
    key: 'preferred_channel',
    label: 'Preferred channel',
    type: 'select',
    options: ['email', 'phone', 'wechat', 'whatsapp', 'line', 'kakaotalk'],
  },
  { entity: 'contact', key: 'newsletter', label: 'Newsletter opt-in', type: 'boolean', options: [] },
  {
    entity: 'company',
    key: 'customer_tier',
    label: 'Customer tier',
    type: 'select',
    options: ['A', 'B', 'C'],
  },
  { entity: 'company', key: 'annual_volume', label: 'Annual volume (USD)', type: 'number', options: [] },
] as const;

/** The workspace itself, its teams, a user of every role, and the custom field definitions. */
export const workspaceStep: DemoStep = {
  name: 'workspace',
  // workspace + teams (sales and marketing) + admin, 2 marketers, a manager per team, service, reps
  rows: (o) => 1 + (TEAMS.length + 1) + (4 + TEAMS.length) + repCount(o.contacts),
  async run(run: DemoRun) {
    const { db, rng, world, options } = run;
    const name = options.workspaceName;
    if (await workspaceNameTaken(db, name)) {
      throw new ConflictError(`A workspace named "${name}" already exists; choose another with --workspace`);
    }
    const createdAt = new Date(options.anchor.getTime() - 800 * 86_400_000);
    const workspaceId = rng.id('ws', createdAt.getTime());
    if (await idTaken(db, workspaceId)) throw new ConflictError(`Workspace id ${workspaceId} exists already`);
    const base = asciiSlug(name, '-') || 'demo';
    let slug = base;
    for (let i = 2; await slugTaken(db, slug); i++) slug = `${base}-${i}`;
    world.workspaceId = workspaceId;
    world.slug = slug;
    await bulkInsert(db, TABLES.workspaces, [[workspaceId, name, slug, 'USD', 'UTC', 'en', createdAt]]);

    const at = (days: number) => new Date(createdAt.getTime() + days * 86_400_000);
    const teamDefs = [
      ...TEAMS.map((t) => ({ ...t })),
      { key: 'marketing', name: MARKETING_TEAM, markets: [] },
    ];
    world.teams = teamDefs.map((t, i) => ({
      id: rng.id('team', at(i).getTime()),
      key: t.key,
      name: t.name,
      markets: t.markets,
    }));
    await bulkInsert(
      db,
      TABLES.teams,
      world.teams.map((t, i) => [workspaceId, t.id, t.name, at(i)]),
    );

    const marketOf = (code: string): Market => MARKETS.find((m) => m.code === code) ?? MARKETS[0]!;
    const emails = new Set<string>();
    const people: { role: Role; teamKey: string | null; market: Market }[] = [
      { role: 'admin', teamKey: null, market: marketOf('DE') },
      { role: 'marketing', teamKey: 'marketing', market: marketOf('US') },
      { role: 'marketing', teamKey: 'marketing', market: marketOf('CN') },
      ...TEAMS.map((t) => ({
        role: 'sales_manager' as Role,
        teamKey: t.key as string,
        market: marketOf(t.markets[0]),
      })),
      { role: 'service', teamKey: null, market: marketOf('GB') },
    ];
    for (let i = 0; i < repCount(options.contacts); i++) {
      const team = TEAMS[i % TEAMS.length]!;
      people.push({ role: 'sales_rep', teamKey: team.key, market: marketOf(rng.pick(team.markets)) });
    }
    const hash = await hashPassword(world.password);
    const rows: unknown[][] = [];
    const members: unknown[][] = [];
    people.forEach((p, i) => {
      const [first, firstAscii] = rng.pick(p.market.firstNames);
      const [last, lastAscii] = rng.pick(p.market.lastNames);
      let local = `${asciiSlug(firstAscii)}.${asciiSlug(lastAscii)}`;
      if (p.role === 'admin') local = 'admin';
      let email = `${local}@${slug}.example`;
      for (let n = 2; emails.has(email); n++) email = `${local}${n}@${slug}.example`;
      emails.add(email);
      const eastAsian = ['CN', 'JP', 'KR'].includes(p.market.code);
      const display = p.role === 'admin' ? 'Demo Admin' : eastAsian ? `${last}${first}` : `${first} ${last}`;
      const created = at(1 + i);
      const teamId = world.teams.find((t) => t.key === p.teamKey)?.id ?? null;
      const user: DemoUser = {
        id: rng.id('usr', created.getTime()),
        email,
        name: display,
        role: p.role,
        teamId,
      };
      world.users.push(user);
      const locale = p.market.code === 'CN' ? 'zh-CN' : 'en';
      rows.push([
        workspaceId,
        user.id,
        email,
        display,
        hash,
        p.role,
        locale,
        p.market.timeZone,
        created,
        created,
      ]);
      if (teamId) members.push([workspaceId, teamId, user.id]);
    });
    await bulkInsert(db, TABLES.users, rows);
    await bulkInsert(db, TABLES.teamMembers, members);
    for (const u of world.users) {
      await appendAudit(db, {
        workspaceId,
        actorUserId: null,
        actorLabel: DEMO_ACTOR,
        action: 'create',
        entityType: 'user',
        entityId: u.id,
        diff: { email: u.email, name: u.name, role: u.role },
      });
    }

    await bulkInsert(
      db,
      TABLES.customFields,
      DEMO_CUSTOM_FIELDS.map((f, i) => [
        workspaceId,
        rng.id('cf', at(i).getTime()),
        f.entity,
        f.key,
        f.label,
        f.type,
        f.options,
        at(i),
        at(i),
      ]),
    );
    world.counts.workspaces = 1;
    world.counts.teams = world.teams.length;
    world.counts.users = world.users.length;
    world.counts.custom_fields = DEMO_CUSTOM_FIELDS.length;
    run.progress(1 + world.teams.length + world.users.length);
  },
};
