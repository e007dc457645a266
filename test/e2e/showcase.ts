import type { Page } from 'playwright-core';
import { apiCall } from './support.ts';

interface Item {
  id: string;
  email?: string | null;
}

/** A small, believable workspace for the README screenshot: reps, companies, owners, tags, countries. */
export async function seedShowcase(page: Page): Promise<void> {
  const rep = async (name: string, email: string, role: string) =>
    (await apiCall<Item>(page, 'POST', '/api/users', { name, email, role, password: 'showcase-password-1' }))
      .id;
  const li = await rep('Li Wei', 'li.wei@example.com', 'sales_manager');
  const maria = await rep('Maria Santos', 'maria@example.com', 'sales_rep');
  const team = await apiCall<Item>(page, 'POST', '/api/teams', {
    name: 'Export sales',
    memberIds: [li, maria],
  });

  const companies = await apiCall<{ items: (Item & { domain: string | null })[] }>(
    page,
    'GET',
    '/api/companies',
  );
  const companyId = new Map(companies.items.map((c) => [c.domain, c.id]));
  for (const [name, domain, country, industry] of [
    ['Shenzhen Brightway Electronics', 'brightway.cn', 'CN', 'Electronics'],
    ['Atlantic Home Supply', 'atlantichome.com', 'US', 'Wholesale'],
    ['Lusitano Distribuição', 'lusitano.pt', 'PT', 'Distribution'],
  ] as const) {
    const c = await apiCall<Item>(page, 'POST', '/api/companies', { name, domain, country, industry });
    companyId.set(domain, c.id);
  }

  const people: [string, string, string, string, string, string | null, string[]][] = [
    ['Chen', 'Jie', 'chen.jie@brightway.cn', 'Sourcing director', 'CN', li, ['key-account']],
    ['Sofia', 'Costa', 'sofia@lusitano.pt', 'Owner', 'PT', maria, ['distributor']],
    ['Emily', 'Clark', 'emily.clark@atlantichome.com', 'VP Procurement', 'US', null, ['hot', 'webinar']],
    ['Lukas', 'Weber', 'l.weber@nordwind.de', 'Plant engineer', 'DE', li, ['trade-show']],
  ];
  for (const [firstName, lastName, email, title, country, ownerId, tags] of people) {
    await apiCall(page, 'POST', '/api/contacts', {
      firstName,
      lastName,
      email,
      title,
      country,
      tags,
      ownerId,
      teamId: ownerId ? team.id : null,
      companyId: companyId.get(email.split('@')[1] ?? '') ?? null,
    });
  }
  // The contacts earlier tests created with little more than a name.
  const patches: Record<string, object> = {
    'jmiller@atlantichome.com': {
      title: 'Category buyer',
      country: 'US',
      ownerId: maria,
      tags: ['newsletter'],
    },
    'wang.fang@brightway.cn': { title: 'Quality lead', country: 'CN', ownerId: li, tags: ['trade-show'] },
    'anna.schmidt@nordwind.de': { country: 'DE', tags: ['trade-show', 'hannover-2026'] },
  };
  const contacts = await apiCall<{ items: Item[] }>(page, 'GET', '/api/contacts');
  for (const c of contacts.items) {
    const patch = c.email ? patches[c.email] : undefined;
    if (!patch || !c.email) continue;
    const domain = c.email.split('@')[1] ?? '';
    await apiCall(page, 'PATCH', `/api/contacts/${c.id}`, {
      ...patch,
      companyId: companyId.get(domain) ?? null,
    });
  }
}
