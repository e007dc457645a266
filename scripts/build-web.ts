/**
 * Builds the web app into dist/web only when it is missing or older than its sources, so
 * `npm start` restarts fast. Usage: `node scripts/build-web.ts [--force]`; the e2e tests import
 * `ensureWebBuild`. The build goes to a temporary folder first and then replaces dist/web, so a
 * server that is running (or a second build started at the same time) never sees half a build.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_OUT = path.join(ROOT, 'dist', 'web');
/** Everything whose change can change the bundle. */
const SOURCES = [
  path.join(ROOT, 'src', 'web'),
  path.join(ROOT, 'src', 'contracts'),
  path.join(ROOT, 'package-lock.json'),
];

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

/** Why a build is needed, or null when dist/web is up to date. */
export function webBuildReason(): string | null {
  const index = path.join(WEB_OUT, 'index.html');
  if (!fs.existsSync(index)) return 'dist/web is missing';
  const built = fs.statSync(index).mtimeMs;
  const changed = Math.max(...SOURCES.map(newestMtime));
  return changed > built ? 'sources changed since the last build' : null;
}

function runViteBuild(outDir: string): Promise<void> {
  const viteBin = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [viteBin, 'build', '--config', 'src/web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'];
  return new Promise((resolve, reject) => {
    // process.execPath: the same Node 22 that runs this script (system Node 20 cannot run Vite 8).
    const child = spawn(process.execPath, [...args, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed with exit code ${code}`)),
    );
  });
}

export interface BuildResult {
  built: boolean;
  reason: string | null;
  ms: number;
}

/** Builds dist/web when needed (or always with force). */
export async function ensureWebBuild(opts: { force?: boolean; quiet?: boolean } = {}): Promise<BuildResult> {
  const started = Date.now();
  const reason = opts.force ? 'forced' : webBuildReason();
  if (!reason) return { built: false, reason: null, ms: Date.now() - started };
  if (!opts.quiet) console.log(`Building the web app (${reason})…`);
  const tmp = `${WEB_OUT}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    await runViteBuild(tmp);
    const old = `${WEB_OUT}.old-${process.pid}-${Date.now().toString(36)}`;
    if (fs.existsSync(WEB_OUT)) fs.renameSync(WEB_OUT, old);
    try {
      fs.renameSync(tmp, WEB_OUT);
    } catch (err) {
      // Another build (same sources) finished first and took the place: keep that one.
      if (!fs.existsSync(path.join(WEB_OUT, 'index.html'))) throw err;
    }
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const ms = Date.now() - started;
  if (!opts.quiet) console.log(`Web app built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, reason, ms };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuild({ force: process.argv.includes('--force') }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
