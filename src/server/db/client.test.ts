import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, StartupError } from './client.ts';

describe('the embedded data folder', () => {
  it('is opened by one process at a time, and a stale lock is taken over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      const second = openDatabase({ dataDir: dir });
      await expect(second).rejects.toBeInstanceOf(StartupError);
      await expect(second).rejects.toThrow(/in use by another Tandem process \(pid \d+\)/);
      await first.close();
      fs.writeFileSync(path.join(dir, 'tandem.lock'), '2147483646'); // a pid no process has
      const again = await openDatabase({ dataDir: dir });
      expect(fs.readFileSync(path.join(dir, 'tandem.lock'), 'utf8')).toBe(String(process.pid));
      await again.close();
      expect(fs.existsSync(path.join(dir, 'tandem.lock'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
