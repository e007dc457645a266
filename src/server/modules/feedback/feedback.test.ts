import { expect, it } from 'vitest';
import { addUser, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { DealDto } from '../../../contracts/deals.ts';
import type { CompetitorDto, FeedbackDto } from '../../../contracts/feedback.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { newContact } from '../contacts/records.fixtures.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

forEachBackend('voice of the customer', (t) => {
  it('records feedback on contacts and deals and filters it by type, product, competitor and period', async () => {
    const admin = await createWorkspace(t);
    const contact = await newContact(admin.api, { email: 'v@example.com' });
    const rival = (await admin.api.post<CompetitorDto>('/api/competitors', { name: 'Rival' })).body;
    expect((await admin.api.post<ErrorBody>('/api/competitors', { name: 'rival' })).status).toBe(409);
    const deal = (await admin.api.post<DealDto>('/api/deals', { name: 'D', contactId: contact.id })).body;
    t.clock.set(new Date('2026-01-10T12:00:00Z'));
    const a = await admin.api.post<FeedbackDto>('/api/feedback', {
      type: 'feature_request',
      contactId: contact.id,
      productName: 'Widget',
      body: 'Needs a bigger tank',
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    t.clock.set(new Date('2026-02-10T12:00:00Z'));
    const b = await admin.api.post<FeedbackDto>('/api/feedback', {
      type: 'competitor_mention',
      dealId: deal.id,
      competitorId: rival.id,
      body: 'Rival is 10 % cheaper',
    });
    expect(b.body).toMatchObject({ dealId: deal.id, contactId: contact.id, source: 'manual' });
    const ids = async (q: string) =>
      (await admin.api.get<Page<FeedbackDto>>(`/api/feedback?${q}`)).body.items.map((f) => f.id);
    expect(await ids('')).toEqual([b.body.id, a.body.id]);
    expect(await ids('type=feature_request')).toEqual([a.body.id]);
    expect(await ids(`competitorId=${rival.id}`)).toEqual([b.body.id]);
    expect(await ids('product=widget')).toEqual([a.body.id]);
    expect(await ids('from=2026-02-01&to=2026-02-28')).toEqual([b.body.id]);
    expect(await ids('from=2026-01-10&to=2026-01-10')).toEqual([a.body.id]);
    const bad = await admin.api.post<ErrorBody>('/api/feedback', { type: 'praise', competitorId: rival.id });
    expect(bad.status).toBe(400);
    const wrong = await admin.api.post<ErrorBody>('/api/feedback', {
      type: 'praise',
      contactId: contact.id,
      competitorId: 'comp_nope',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields?.competitorId).toMatch(/not a competitor/);
    const odd = await admin.api.get<ErrorBody>('/api/feedback?type=gossip');
    expect(odd.status).toBe(400);
  });

  it('shows a rep only feedback on records they see; marketing sees all', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const teamA = await createTeam(t, ws);
    const repA = await addUser(t, ws, 'sales_rep', { teamIds: [teamA] });
    const repB = await addUser(t, ws, 'sales_rep');
    const marketing = await addUser(t, ws, 'marketing');
    const mine = await newContact(repA.api, { email: 'mine@example.com' });
    const theirs = await newContact(repB.api, { email: 'theirs@example.com' });
    await repA.api.post('/api/feedback', { type: 'praise', contactId: mine.id });
    await repB.api.post('/api/feedback', { type: 'complaint', contactId: theirs.id });
    const other = await repA.api.post<ErrorBody>('/api/feedback', { type: 'praise', contactId: theirs.id });
    expect(other.status).toBe(400);
    const a = await repA.api.get<Page<FeedbackDto>>('/api/feedback');
    expect(a.body.items.map((f) => f.type)).toEqual(['praise']);
    const m = await marketing.api.get<Page<FeedbackDto>>('/api/feedback');
    expect(m.body.items.map((f) => f.type).sort()).toEqual(['complaint', 'praise']);
    expect((await repA.api.post('/api/competitors', { name: 'X' })).status).toBe(403);
  });
});
