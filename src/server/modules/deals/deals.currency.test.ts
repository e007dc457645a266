import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { BoardDto, DealDto, ExchangeRateDto } from '../../../contracts/deals.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { convertAmount } from './deals.rates.repo.ts';

forEachBackend('exchange rates', (t) => {
  it('converts at the latest rate on or before the date, in either direction, and null without a rate', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    for (const [onDate, rate] of [
      ['2026-01-01', '1.10'],
      ['2026-02-01', '1.20'],
    ] as const) {
      const res = await admin.api.put<ExchangeRateDto>('/api/exchange-rates', {
        base: 'EUR',
        quote: 'USD',
        onDate,
        rate,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(await convertAmount(t.ctx.db, ws, 1000n, 'EUR', 'USD', '2026-01-15')).toBe(1100n);
    expect(await convertAmount(t.ctx.db, ws, BigInt(1000), 'EUR', 'USD', '2026-03-01')).toBe(1200n);
    expect(await convertAmount(t.ctx.db, ws, 1200n, 'USD', 'EUR', '2026-02-01')).toBe(1000n);
    expect(await convertAmount(t.ctx.db, ws, 1000n, 'EUR', 'USD', '2025-12-31')).toBeNull();
    expect(await convertAmount(t.ctx.db, ws, 1000n, 'GBP', 'USD', '2026-02-01')).toBeNull();
    expect(await convertAmount(t.ctx.db, ws, 1000n, 'USD', 'USD', '2026-02-01')).toBe(1000n);
    // Exact across minor digits, rounded half away from zero once (the SQL conversion reports use).
    for (const [base, quote, rate] of [
      ['USD', 'JPY', '150.5'],
      ['GBP', 'USD', '0.5'],
    ] as const)
      await admin.api.put('/api/exchange-rates', { base, quote, onDate: '2026-01-01', rate });
    // 100.00 USD at 150.5 JPY per USD = 15050 JPY (0 minor digits); back again exactly.
    expect(await convertAmount(t.ctx.db, ws, 10_000n, 'USD', 'JPY', '2026-01-02')).toBe(15_050n);
    expect(await convertAmount(t.ctx.db, ws, 15_050n, 'JPY', 'USD', '2026-01-02')).toBe(10_000n);
    // 1 JPY at 1/150.5 USD: 0.0066 USD rounds to 1 cent; 0.005 USD rounds up to 1 cent.
    expect(await convertAmount(t.ctx.db, ws, 1n, 'JPY', 'USD', '2026-01-02')).toBe(1n);
    expect(await convertAmount(t.ctx.db, ws, 1n, 'GBP', 'USD', '2026-01-02')).toBe(1n);
    expect(await convertAmount(t.ctx.db, ws, 11_000n, 'USD', 'EUR', '2026-01-02')).toBe(10_000n);
    // Another workspace's rates are not used.
    const other = await createWorkspace(t);
    expect(await convertAmount(t.ctx.db, other.workspaceId, 1000n, 'EUR', 'USD', '2026-02-01')).toBeNull();
  });

  it('imports rates from CSV, refusing the whole file when one row is bad', async () => {
    const admin = await createWorkspace(t);
    const bad = await admin.api.post<ErrorBody>('/api/exchange-rates/import', {
      csv: 'base,quote,date,rate\nEUR,USD,2026-01-01,1.1\nCNY,USD,2026-01-01,-3\n',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toEqual(['row 3.rate']);
    expect((await admin.api.get<ExchangeRateDto[]>('/api/exchange-rates')).body).toEqual([]);
    const ok = await admin.api.post<{ imported: number }>('/api/exchange-rates/import', {
      csv: 'from,to,on_date,rate\neur,USD,2026-01-01,1.1\nCNY,USD,2026-01-01,0.14\nEUR,USD,2026-01-01,1.15\n',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.imported).toBe(2);
    const rates = (await admin.api.get<ExchangeRateDto[]>('/api/exchange-rates')).body;
    expect(rates.map((r) => `${r.base}/${r.quote}@${r.onDate}=${r.rate}:${r.source}`).sort()).toEqual([
      'CNY/USD@2026-01-01=0.14:import',
      'EUR/USD@2026-01-01=1.15:import',
    ]);
  });

  it('sums board columns in the reporting currency: open deals at today’s rate, won deals at their close date', async () => {
    const admin = await createWorkspace(t);
    t.clock.set(new Date('2026-03-10T12:00:00Z'));
    await admin.api.put('/api/exchange-rates', {
      base: 'EUR',
      quote: 'USD',
      onDate: '2026-01-01',
      rate: '1.1',
    });
    await admin.api.put('/api/exchange-rates', {
      base: 'EUR',
      quote: 'USD',
      onDate: '2026-03-01',
      rate: '1.3',
    });
    const make = async (body: Record<string, unknown>) => {
      const res = await admin.api.post<DealDto>('/api/deals', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    await make({ name: 'usd', amountMinor: 1000 });
    await make({ name: 'eur', amountMinor: 1000, currency: 'EUR' });
    await make({ name: 'gbp', amountMinor: 1000, currency: 'GBP' });
    t.clock.set(new Date('2026-02-15T12:00:00Z'));
    const won = await make({ name: 'won-eur', amountMinor: 1000, currency: 'EUR' });
    await admin.api.post(`/api/deals/${won.id}/move`, { stageKey: 'won' });
    t.clock.set(new Date('2026-03-10T12:00:00Z'));
    const board = await admin.api.get<BoardDto>('/api/deals/board');
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    const col = (key: string) => board.body.columns.find((c) => c.stage.key === key)!;
    expect(board.body.reportingCurrency).toBe('USD');
    expect(col('qualified')).toMatchObject({ count: 3, totalMinor: 1000 + 1300, unconverted: 1 });
    expect(col('qualified').deals).toHaveLength(3);
    expect(col('won')).toMatchObject({ count: 1, totalMinor: 1100, unconverted: 0 });
    expect(col('negotiation')).toMatchObject({ count: 0, totalMinor: 0, deals: [] });
  });
});
