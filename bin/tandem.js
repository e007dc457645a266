#!/usr/bin/env node
// The `tandem` command: runs src/server/cli.ts with Node 22's type stripping. Under an older Node
// (npm itself may run on one), it re-runs itself with the Node 22 that the project installs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > 22 || (major === 22 && minor >= 18);

if (!supported) {
  const local = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(local) || process.execPath === local) {
    process.stderr.write(
      `tandem: needs Node.js 22.18 or newer (this is ${process.versions.node}); run npm install\n`,
    );
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const { run } = await import('../src/server/cli.ts');
await run();
