import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ReportTableDto } from '../../../contracts/reports.ts';
import { createImport, runImport } from '../capture/capture.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/**
 * Real data: the Olist marketing funnel imported through the generic importer (MQLs as contacts,
 * `origin` their source and `first_contact_date` their first touch; closed deals as won deals), and
 * the funnel by source, the cohort conversion by month of first touch and the first-touch-to-won
 * velocity checked against an independent reading of the two CSV files in plain code.
 */
const OLIST = path.resolve(import.meta.dirname, '../../../../../shared/datasets/olist-marketing-funnel');
const MQL = path.join(OLIST, 'olist_marketing_qualified_leads_dataset.csv');
const CLOSED = path.join(OLIST, 'olist_closed_deals_dataset.csv');
const haveOlist = fs.existsSync(MQL) && fs.existsSync(CLOSED);
if (!haveOlist) console.warn(`\nSkipping the Olist reports test: the dataset is not at ${OLIST}\n`);
const CLI = path.resolve(import.meta.dirname, '../../cli.ts');
const DAY = 86_400_000;

/** Plain splitting: the first five columns of both files never hold quotes or commas. */
function lines(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/\r$/, '').split(','));
}

/** Linear-interpolation percentile (what percentile_cont computes). */
function percentile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function independent() {
  const mqls = lines(MQL).map(([id, first, , origin]) => ({
    id: id!,
    firstAt: Date.parse(`${first}T00:00:00Z`),
    origin: origin || null,
  }));
  const wonAt = new Map<string, number>();
  for (const [id, , , , won] of lines(CLOSED)) {
    const t = Date.parse(`${won!.replace(' ', 'T')}Z`);
    wonAt.set(id!, Math.min(wonAt.get(id!) ?? Number.POSITIVE_INFINITY, t));
  }
  const bySource = new Map<string | null, { lead: number; customer: number }>();
  const byMonth = new Map<string, { lead: number; customer: number }>();
  const cycles: number[] = [];
  for (const m of mqls) {
    const won = wonAt.get(m.id);
    const s = bySource.get(m.origin) ?? { lead: 0, customer: 0 };
    const month = new Date(m.firstAt).toISOString().slice(0, 7);
    const mo = byMonth.get(month) ?? { lead: 0, customer: 0 };
    s.lead++;
    mo.lead++;
    if (won !== undefined) {
      s.customer++;
      mo.customer++;
      cycles.push((won - m.firstAt) / DAY);
    }
    bySource.set(m.origin, s);
    byMonth.set(month, mo);
  }
  cycles.sort((a, b) => a - b);
  return { bySource, byMonth, cycles };
}

function actorOf(u: TestUser): Actor {
  return {
    workspaceId: u.workspaceId,
    userId: u.userId,
    email: u.email,
    name: 'Admin',
    role: 'admin',
    locale: 'en',
    timeZone: 'UTC',
    teamIds: [],
    via: 'token',
    sessionId: null,
  };
}

const Q = 'from=2017-01-01&to=2019-12-31';

describe.skipIf(!haveOlist)('Olist marketing funnel reports', () => {
  forEachBackend('reports over the Olist funnel', (t) => {
    it('funnel by source, cohort conversion by month and first-touch-to-won velocity equal the CSV read independently', async () => {
      const admin = await createWorkspace(t);
      const actor = actorOf(admin);
      const importId = await createImport(t.ctx, actor, {
        entity: 'contacts',
        filePath: MQL,
        map: { mql_id: 'externalId', landing_page_id: 'custom.landing_page_id' },
      });
      const imported = await runImport(t.ctx, admin.workspaceId, importId);
      expect(imported.status, imported.error ?? '').toBe('completed');
      const dealsId = await createImport(t.ctx, actor, {
        entity: 'deals',
        filePath: CLOSED,
        map: { mql_id: 'contact.external_id', seller_id: 'external_id', won_date: 'won_at' },
      });
      const deals = await runImport(t.ctx, admin.workspaceId, dealsId);
      expect(deals.status, deals.error ?? '').toBe('completed');
      expect(deals.rejected).toBe(0);
      const want = independent();

      const funnel = await admin.api.get<ReportTableDto>(`/api/reports/funnel?${Q}&by=source`);
      expect(funnel.status).toBe(200);
      const got = Object.fromEntries(funnel.body.rows.map((r) => [String(r.source), r]));
      expect(Object.keys(got).sort()).toEqual([...want.bySource.keys()].map(String).sort());
      for (const [origin, w] of want.bySource) {
        expect(got[String(origin)], String(origin)).toMatchObject({ lead: w.lead, customer: w.customer });
        expect(got[String(origin)]!.lead_to_customer).toBeCloseTo(w.customer / w.lead, 12);
      }

      const months = await admin.api.get<ReportTableDto>(`/api/reports/funnel?${Q}&by=month`);
      expect(months.body.rows.map((r) => [r.month, r.lead, r.customer, r.lead_to_customer])).toEqual(
        [...want.byMonth.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([m, w]) => [m, w.lead, w.customer, w.customer / w.lead]),
      );

      const velocity = await admin.api.get<ReportTableDto>(`/api/reports/velocity?${Q}`);
      const customer = velocity.body.rows.find((r) => r.stage === 'customer')!;
      const c = want.cycles;
      expect(customer.reached).toBe(c.length);
      const mean = c.reduce((a, b) => a + b, 0) / c.length;
      expect(Number(customer.to_mean)).toBeCloseTo(mean, 2);
      expect(Number(customer.to_median)).toBeCloseTo(percentile(c, 0.5), 2);
      expect(Number(customer.to_p25)).toBeCloseTo(percentile(c, 0.25), 2);
      expect(Number(customer.to_p75)).toBeCloseTo(percentile(c, 0.75), 2);
      expect(Number(customer.to_p90)).toBeCloseTo(percentile(c, 0.9), 2);

      // The CLI prints the same figures (its own process: PostgreSQL only, PGlite is in memory).
      if (t.engine === 'postgres') {
        const run = (args: string[]) =>
          spawnSync(process.execPath, [CLI, 'report', ...args], {
            encoding: 'utf8',
            env: { ...process.env, DATABASE_URL: t.databaseUrl },
            timeout: 120_000,
          });
        const json = run([
          'funnel',
          '--by',
          'source',
          '--from',
          '2017-01-01',
          '--to',
          '2019-12-31',
          '--format',
          'json',
        ]);
        expect(json.stderr).toBe('');
        expect(JSON.parse(json.stdout).rows).toEqual(funnel.body.rows);
        const csv = run([
          'funnel',
          '--by',
          'month',
          '--from',
          '2017-01-01',
          '--to',
          '2019-12-31',
          '--format',
          'csv',
        ]);
        expect(csv.stdout.split('\n')[0]).toMatch(/^month,lead,mql,/);
        const table = run(['velocity', '--from', '2017-01-01', '--to', '2019-12-31']);
        expect(table.status).toBe(0);
        expect(table.stdout).toMatch(/customer\s+842\s/);
        const bad = run(['funnel', '--by', 'planet']);
        expect(bad.status).not.toBe(0);
        expect(bad.stderr).toContain('--by');
      }
    }, 300_000);
  });
});
