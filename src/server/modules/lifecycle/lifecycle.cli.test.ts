import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactLifecycleDto } from '../../../contracts/lifecycle.ts';
import type { ScoreExplanation } from '../../../contracts/scoring.ts';

const CLI = path.resolve(import.meta.dirname, '../../cli.ts');

// The command runs in its own process on the test's database, so only PostgreSQL can share it (an
// in-memory PGlite cannot); the PGlite half is skipped.
forEachBackend('tandem contact show', (t) => {
  it.skipIf(t.engine !== 'postgres')(
    'prints the score explained, stage, owner, touches and next action exactly as the API serves them',
    async () => {
      const tandem = (args: string[]) =>
        spawnSync(process.execPath, [CLI, ...args], {
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: t.databaseUrl },
          timeout: 120_000,
        });
      const admin = await createWorkspace(t);
      const company = await admin.api.post<{ id: string }>('/api/companies', {
        name: 'Müller GmbH',
        industry: 'Machinery',
        employees: 300,
      });
      const c = await admin.api.post<{ id: string }>('/api/contacts', {
        email: 'Anna@Mueller.de',
        country: 'DE',
        title: 'Head of Purchasing',
        companyId: company.body.id,
        ownerId: admin.userId,
      });
      expect(c.status).toBe(201);
      for (const type of ['form_submit', 'email_click', 'page_view']) {
        expect((await admin.api.post('/api/touches', { contactId: c.body.id, type })).status).toBe(201);
      }
      const task = await admin.api.post('/api/tasks', {
        contactId: c.body.id,
        type: 'call',
        title: 'Call Anna',
        dueAt: '2030-01-02T09:00:00.000Z',
      });
      expect(task.status).toBe(201);

      const shown = tandem(['contact', 'show', 'anna@mueller.de', '--json']);
      expect(shown.stderr).toBe('');
      expect(shown.status).toBe(0);
      const json = JSON.parse(shown.stdout.trim());
      expect(Object.keys(json)).toEqual([
        'score',
        'temperature',
        'stage',
        'owner',
        'touches',
        'nextAction',
        'reasons',
      ]);

      const score = (await admin.api.get<ScoreExplanation>(`/api/contacts/${c.body.id}/score`)).body;
      const life = (await admin.api.get<ContactLifecycleDto>(`/api/contacts/${c.body.id}/lifecycle`)).body;
      expect(score.reasons.length).toBeGreaterThanOrEqual(3); // fit rules and engagement fired
      expect(json).toEqual({
        score: score.score,
        temperature: score.temperature,
        stage: life.stage,
        owner: { id: admin.userId, name: life.ownerName },
        touches: 3,
        nextAction: life.nextAction,
        reasons: score.reasons,
      });
      expect(life.touches).toBe(3);
      expect(score.score).toBeGreaterThan(0);
      expect(json.nextAction).toMatchObject({ source: 'task', title: 'Call Anna' });

      // By id, the default is a human-readable table.
      const table = tandem(['contact', 'show', c.body.id]);
      expect(table.status).toBe(0);
      expect(table.stdout).toMatch(new RegExp(`^Score\\s+${score.score} \\(fit`, 'm'));
      expect(table.stdout).toMatch(/^Touches\s+3$/m);
      expect(table.stdout).toMatch(/^engagement\s+form_submit\s+\d+/m);

      // An unknown contact: one line on stderr, exit code 2, like the other commands' bad input.
      const missing = tandem(['contact', 'show', 'nobody@example.com']);
      expect(missing.status).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/^tandem: no contact nobody@example\.com in workspace "/);
      expect(tandem(['contact', 'show', 'con_missing', '--json']).status).toBe(2);
    },
    180_000,
  );
});
