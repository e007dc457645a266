import { expect, it } from 'vitest';
import { addUser, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import { allPages, listIds, newCompany, newContact } from './records.fixtures.ts';

const sorted = (ids: string[]) => [...ids].sort();

forEachBackend('contacts: list filters', (t) => {
  it('filters by owner: me, none and a user id', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const mine = await newContact(admin.api, { firstName: 'Mine', ownerId: admin.userId });
    const theirs = await newContact(admin.api, { firstName: 'Theirs', ownerId: rep.userId });
    const nobody = await newContact(admin.api, { firstName: 'Nobody', ownerId: null });
    expect(await listIds(admin.api, '/api/contacts?ownerId=me')).toEqual([mine.id]);
    expect(await listIds(admin.api, '/api/contacts?ownerId=none')).toEqual([nobody.id]);
    expect(await listIds(admin.api, `/api/contacts?ownerId=${rep.userId}`)).toEqual([theirs.id]);
    expect(await listIds(rep.api, '/api/contacts?ownerId=me')).toEqual([theirs.id]);
  });

  it('filters by team, company, tag and country, and combines filters', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const acme = await newCompany(admin.api, { name: 'Acme' });
    const a = await newContact(admin.api, {
      firstName: 'A',
      teamId: team,
      tags: ['vip', 'fair'],
      country: 'DE',
    });
    const b = await newContact(admin.api, {
      firstName: 'B',
      companyId: acme.id,
      tags: ['fair'],
      country: 'CN',
    });
    const c = await newContact(admin.api, {
      firstName: 'C',
      companyId: acme.id,
      teamId: team,
      country: 'DE',
    });
    expect(sorted(await listIds(admin.api, `/api/contacts?teamId=${team}`))).toEqual(sorted([a.id, c.id]));
    expect(sorted(await listIds(admin.api, `/api/contacts?companyId=${acme.id}`))).toEqual(
      sorted([b.id, c.id]),
    );
    expect(sorted(await listIds(admin.api, '/api/contacts?tag=fair'))).toEqual(sorted([a.id, b.id]));
    expect(await listIds(admin.api, '/api/contacts?tag=vip')).toEqual([a.id]);
    expect(await listIds(admin.api, '/api/contacts?tag=none')).toEqual([]);
    expect(sorted(await listIds(admin.api, '/api/contacts?country=DE'))).toEqual(sorted([a.id, c.id]));
    expect(await listIds(admin.api, `/api/contacts?country=DE&companyId=${acme.id}`)).toEqual([c.id]);
    expect(await listIds(admin.api, `/api/contacts?tag=fair&teamId=${team}&country=DE`)).toEqual([a.id]);
  });

  it('lists deleted contacts only with deleted=only, filters still applying', async () => {
    const admin = await createWorkspace(t);
    const a = await newContact(admin.api, { firstName: 'A', country: 'DE' });
    const b = await newContact(admin.api, { firstName: 'B', country: 'FR' });
    await newContact(admin.api, { firstName: 'C', country: 'DE' });
    await admin.api.delete(`/api/contacts/${a.id}`);
    await admin.api.delete(`/api/contacts/${b.id}`);
    expect(sorted(await listIds(admin.api, '/api/contacts?deleted=only'))).toEqual(sorted([a.id, b.id]));
    expect(await listIds(admin.api, '/api/contacts?deleted=only&country=DE')).toEqual([a.id]);
    expect(await listIds(admin.api, '/api/contacts?deleted=exclude&country=FR')).toEqual([]);
  });
});

forEachBackend('contacts: sorting and keyset pages', (t) => {
  /**
   * 14 contacts made at 4 distinct times (so created_at ties), with repeated names and e-mails
   * missing on some (ties for name and email sorts too), updated in an order unlike creation.
   */
  async function seed() {
    const admin = await createWorkspace(t);
    const made: ContactDto[] = [];
    const lastNames = ['Baker', 'Adams', 'Baker', 'Clark', 'Adams', 'Baker', 'Davis'];
    for (let i = 0; i < 14; i++) {
      if (i % 4 === 0) t.clock.advance(1000);
      const last = lastNames[i % lastNames.length];
      const email = i % 3 === 0 ? null : `${last?.toLowerCase()}${i % 5}@example.com`;
      const res = await admin.api.post<ContactDto>('/api/contacts', {
        firstName: 'Sam',
        lastName: last,
        ...(email ? { email } : {}),
      });
      if (res.status === 409) continue; // a repeated e-mail: fine, fewer rows
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.push(res.body);
    }
    // Touch some in reverse order, two at the same instant.
    for (const [n, c] of [...made].reverse().entries()) {
      if (n % 3 === 0) {
        if (n % 2 === 0) t.clock.advance(500);
        await admin.api.patch(`/api/contacts/${c.id}`, { title: `t${n}` });
      }
    }
    return { admin, made };
  }

  it('pages every sort in both orders across three or more pages, equal to one big page, with no repeats or gaps', async () => {
    const { admin, made } = await seed();
    expect(made.length).toBeGreaterThanOrEqual(12);
    for (const sort of ['createdAt', 'updatedAt', 'name', 'email']) {
      for (const order of ['asc', 'desc']) {
        const whole = await admin.api.get<{ items: ContactDto[] }>(
          `/api/contacts?sort=${sort}&order=${order}&limit=500`,
        );
        const pages = await allPages<ContactDto>(
          admin.api,
          `/api/contacts?sort=${sort}&order=${order}&limit=4`,
        );
        expect(pages.length, `${sort} ${order}`).toBeGreaterThanOrEqual(3);
        expect(
          pages.flat().map((c) => c.id),
          `${sort} ${order}`,
        ).toEqual(whole.body.items.map((c) => c.id));
        expect(sorted(pages.flat().map((c) => c.id))).toEqual(sorted(made.map((c) => c.id)));
      }
    }
  });

  it('orders by creation time then id, and by last name for the name sort', async () => {
    const { admin } = await seed();
    const pages = await allPages<ContactDto>(admin.api, '/api/contacts?sort=createdAt&order=asc&limit=3');
    const flat = pages.flat();
    for (let i = 1; i < flat.length; i++) {
      const [p, c] = [flat[i - 1] as ContactDto, flat[i] as ContactDto];
      expect(p.createdAt <= c.createdAt).toBe(true);
      if (p.createdAt === c.createdAt) expect(p.id < c.id).toBe(true);
    }
    const byName = (
      await allPages<ContactDto>(admin.api, '/api/contacts?sort=name&order=asc&limit=5')
    ).flat();
    const lasts = byName.map((c) => c.lastName ?? '');
    expect(lasts).toEqual([...lasts].sort());
    const byNameDesc = (
      await allPages<ContactDto>(admin.api, '/api/contacts?sort=name&order=desc&limit=5')
    ).flat();
    expect(byNameDesc.map((c) => c.id)).toEqual(byName.map((c) => c.id).reverse());
    const byUpdated = (await allPages<ContactDto>(admin.api, '/api/contacts?sort=updatedAt&limit=4')).flat();
    const times = byUpdated.map((c) => c.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('keeps pages stable when rows are added before the cursor', async () => {
    const { admin, made } = await seed();
    const first = await admin.api.get<{ items: ContactDto[]; nextCursor: string }>(
      '/api/contacts?sort=createdAt&order=asc&limit=5',
    );
    t.clock.advance(60_000);
    await newContact(admin.api, { firstName: 'Late' });
    const rest = await allPages<ContactDto>(
      admin.api,
      '/api/contacts?sort=createdAt&order=asc&limit=5',
      first.body.nextCursor,
    );
    const ids = [...first.body.items, ...rest.flat()].map((c) => c.id);
    expect(ids.length).toBe(made.length + 1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

forEachBackend('contacts: search', (t) => {
  async function seed() {
    const admin = await createWorkspace(t);
    const acme = await newCompany(admin.api, { name: 'Acme Export Ltd' });
    const zhang = await newCompany(admin.api, { name: '深圳华强电子' });
    const ada = await newContact(admin.api, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.lovelace@analytical.example',
      phone: '+44 (20) 7946-0958',
    });
    const bob = await newContact(admin.api, {
      firstName: 'Bob',
      lastName: 'Builder',
      email: 'bob@build.example',
      companyId: acme.id,
    });
    const wang = await newContact(admin.api, { firstName: '小明', lastName: '王', companyId: zhang.id });
    const pct = await newContact(admin.api, { firstName: 'Percy', lastName: '100%_Sure' });
    return { admin, acme, ada, bob, wang, pct };
  }

  it('finds contacts by first name, last name, full name and part of a name, any letter case', async () => {
    const { admin, ada } = await seed();
    for (const q of ['ada', 'LOVELACE', 'ada lovelace', 'lovelace ada', 'ovela', 'Ada  Love']) {
      expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent(q)}`), q).toEqual([ada.id]);
    }
  });

  it('finds contacts by e-mail and by phone written any way', async () => {
    const { admin, ada, bob } = await seed();
    expect(await listIds(admin.api, '/api/contacts?q=bob%40build')).toEqual([bob.id]);
    expect(await listIds(admin.api, '/api/contacts?q=analytical.example')).toEqual([ada.id]);
    // A whole address matches the start of the e-mail, in any letter case.
    expect(await listIds(admin.api, '/api/contacts?q=Ada.Lovelace%40Analytical.EXAMPLE')).toEqual([ada.id]);
    expect(await listIds(admin.api, '/api/contacts?q=ada.lovelace%40analytical.ex')).toEqual([ada.id]);
    expect(await listIds(admin.api, '/api/contacts?q=bob%40build.example')).toEqual([bob.id]);
    for (const q of ['7946', '+44 20 7946 0958', '(20) 7946-09', '4420794']) {
      expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent(q)}`), q).toEqual([ada.id]);
    }
  });

  it('finds contacts by their company’s name, and follows a company rename', async () => {
    const { admin, acme, bob } = await seed();
    expect(await listIds(admin.api, '/api/contacts?q=acme')).toEqual([bob.id]);
    expect(await listIds(admin.api, '/api/contacts?q=export%20ltd')).toEqual([bob.id]);
    expect((await admin.api.patch(`/api/companies/${acme.id}`, { name: 'Zenith Trading' })).status).toBe(200);
    expect(await listIds(admin.api, '/api/contacts?q=acme')).toEqual([]);
    expect(await listIds(admin.api, '/api/contacts?q=zenith')).toEqual([bob.id]);
    expect((await admin.api.get<ContactDto>(`/api/contacts/${bob.id}`)).body.companyName).toBe(
      'Zenith Trading',
    );
  });

  it('matches one- and two-character queries as prefixes of names, e-mail or company', async () => {
    const { admin, ada, bob, wang } = await seed();
    expect(await listIds(admin.api, '/api/contacts?q=a')).toEqual(expect.arrayContaining([ada.id, bob.id]));
    expect(sorted(await listIds(admin.api, '/api/contacts?q=a'))).toEqual(sorted([ada.id, bob.id]));
    expect(await listIds(admin.api, '/api/contacts?q=lo')).toEqual([ada.id]);
    expect(await listIds(admin.api, '/api/contacts?q=bu')).toEqual([bob.id]);
    // "ve" is inside "Lovelace" but starts nothing: the prefix strategy does not match it.
    expect(await listIds(admin.api, '/api/contacts?q=ve')).toEqual([]);
    expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent('王')}`)).toEqual([wang.id]);
    expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent('深圳')}`)).toEqual([wang.id]);
    expect(await listIds(admin.api, '/api/contacts?q=b%20a')).toEqual([bob.id]);
  });

  it('treats % and _ in a query as plain characters', async () => {
    const { admin, pct } = await seed();
    expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent('100%_s')}`)).toEqual([pct.id]);
    expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent('%%%')}`)).toEqual([]);
    expect(await listIds(admin.api, `/api/contacts?q=${encodeURIComponent('a_a')}`)).toEqual([]);
  });

  it('combines search with filters, sorting and pages', async () => {
    const { admin } = await seed();
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push((await newContact(admin.api, { firstName: 'Marta', lastName: `Lind${i}` })).id);
    await newContact(admin.api, { firstName: 'Marta', lastName: 'Other', country: 'SE' });
    const pages = await allPages<ContactDto>(admin.api, '/api/contacts?q=lind&sort=name&order=asc&limit=3');
    expect(pages.length).toBe(3);
    expect(pages.flat().map((c) => c.id)).toEqual(made);
    expect((await listIds(admin.api, '/api/contacts?q=marta&country=SE')).length).toBe(1);
    expect((await allPages<ContactDto>(admin.api, '/api/contacts?q=ma&limit=2')).flat()).toHaveLength(8);
  });
});
