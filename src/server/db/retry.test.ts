import { expect, it } from 'vitest';
import { isConcurrencyConflict, retryOnConflict } from './retry.ts';

const conflict = (code: string) => Object.assign(new Error('conflict'), { code });

it('runs a unit of work again after a deadlock or serialization failure, and gives up after the last attempt', async () => {
  let calls = 0;
  const value = await retryOnConflict(async () => {
    calls++;
    if (calls === 1) throw conflict('40P01');
    if (calls === 2) throw conflict('40001');
    return 'done';
  });
  expect([value, calls]).toEqual(['done', 3]);

  calls = 0;
  await expect(
    retryOnConflict(async () => {
      calls++;
      throw conflict('40P01');
    }, 3),
  ).rejects.toThrow('conflict');
  expect(calls).toBe(3);
});

it('passes every other error through at once', async () => {
  let calls = 0;
  await expect(
    retryOnConflict(async () => {
      calls++;
      throw conflict('23505');
    }),
  ).rejects.toThrow('conflict');
  expect(calls).toBe(1);
  expect(isConcurrencyConflict(new Error('plain'))).toBe(false);
});
