import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/harness.ts';
import { encodeCopyText, rawTransaction } from './copy.ts';

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and CR, and writes null as \\N', () => {
    expect(encodeCopyText([['a\\b', 'c\td', 'e\nf\rg', null, 42, true]])).toBe(
      'a\\\\b\tc\\td\te\\nf\\rg\t\\N\t42\ttrue\n',
    );
  });
});

forEachBackend('raw COPY transactions', (t) => {
  it('round-trips awkward text and JSON through COPY, and rolls back with the transaction', async () => {
    await sql`CREATE TABLE copy_probe (a text, b jsonb, c integer)`.execute(t.ctx.db);
    const awkward = 'tab\there, newline\nthere, back\\slash, quote " and 中文';
    await rawTransaction(t.ctx.dbh, (tx) =>
      tx.copyRows(
        'copy_probe',
        ['a', 'b', 'c'],
        [
          [awkward, JSON.stringify({ s: awkward }), 1],
          [null, null, null],
        ],
      ),
    );
    const rows = await sql<{ a: string | null; b: { s: string } | null; c: number | null }>`
      SELECT a, b, c FROM copy_probe ORDER BY c NULLS LAST`.execute(t.ctx.db);
    expect(rows.rows).toEqual([
      { a: awkward, b: { s: awkward }, c: 1 },
      { a: null, b: null, c: null },
    ]);
    await expect(
      rawTransaction(t.ctx.dbh, async (tx) => {
        await tx.copyRows('copy_probe', ['a'], [['doomed']]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_probe`.execute(t.ctx.db);
    expect(n.rows[0]!.n).toBe(2);
  });
});
