import { expect, it } from 'vitest';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactLifecycleDto } from '../../../contracts/lifecycle.ts';
import { contactsByEmail, createForm, demoForm, fillAndSubmit } from '../forms/forms.fixtures.ts';
import { insertContacts, salesFloor } from './lifecycle.fixtures.ts';

forEachBackend('hand-raises and the first sales touch (touch log hook)', (t) => {
  it('makes a hand-raise form submitter an MQL at once, routed to a rep, and a sales touch stops the SLA clock', async () => {
    const { admin, reps } = await salesFloor(t, 1);
    const form = await createForm(admin, demoForm({ handRaise: true, consent: null }));
    const plain = await createForm(admin, demoForm({ name: 'Newsletter', consent: null }));
    await fillAndSubmit(t, plain.id, { email: 'reader@example.com' });
    await fillAndSubmit(t, form.id, { email: 'buyer@example.com', firstName: 'Bea' });

    const [reader] = await contactsByEmail(t, admin.workspaceId, 'reader@example.com');
    const [buyer] = await contactsByEmail(t, admin.workspaceId, 'buyer@example.com');
    expect(reader?.lifecycle_stage).toBe('lead');
    expect(buyer?.lifecycle_stage).toBe('mql');
    expect(buyer?.owner_id).toBe(reps[0]!.userId);

    const panel = await reps[0]!.api.get<ContactLifecycleDto>(`/api/contacts/${buyer!.id}/lifecycle`);
    expect(panel.status, JSON.stringify(panel.body)).toBe(200);
    expect(panel.body.history[0]).toMatchObject({
      from: 'lead',
      to: 'mql',
      cause: 'rule',
      reason: 'hand-raise: form submission',
    });
    expect(panel.body.assignment).toMatchObject({ userId: reps[0]!.userId, firstSalesTouchAt: null });

    t.clock.advance(60_000);
    const call = await reps[0]!.api.post('/api/touches', { contactId: buyer!.id, type: 'call' });
    expect(call.status).toBe(201);
    const after = await reps[0]!.api.get<ContactLifecycleDto>(`/api/contacts/${buyer!.id}/lifecycle`);
    expect(after.body.assignment?.firstSalesTouchAt).toBe(t.clock.now().toISOString());

    // A reply is a hand-raise too; the rep accepts the lead, and moving it back needs a reason.
    const [replier] = await insertContacts(t, admin.workspaceId, 1);
    expect((await admin.api.post('/api/touches', { contactId: replier, type: 'email_reply' })).status).toBe(
      201,
    );
    const accepted = await reps[0]!.api.post<ContactLifecycleDto>(`/api/contacts/${replier}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.stage).toBe('sql');
    const back = await reps[0]!.api.post<{ error: { fields: Record<string, string> } }>(
      `/api/contacts/${replier}/stage`,
      { to: 'lead' },
    );
    expect(back.status).toBe(400);
    expect(back.body.error.fields).toHaveProperty('reason');
    const dq = await reps[0]!.api.post(`/api/contacts/${replier}/disqualify`, { reason: 'astrology' });
    expect(dq.status).toBe(400);
    const dq2 = await reps[0]!.api.post<ContactLifecycleDto>(`/api/contacts/${replier}/disqualify`, {
      reason: 'no_budget',
    });
    expect(dq2.body.stage).toBe('disqualified');
  });
});
