import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { loadConfig, testEnv } from '../../src/server/config.ts';
import type { Clock } from '../../src/server/lib/clock.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');

/** Why the browser suite cannot run here, or null. In CI a missing browser is a failure, not a skip. */
export function browserSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM_PATH)) return null;
  return `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium): the web end-to-end tests need it`;
}

export function isCI(): boolean {
  const ci = testEnv('CI');
  return ci === 'true' || ci === '1';
}

export interface E2EWorld {
  runtime: Runtime;
  baseUrl: string;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Real time shifted by an offset a test can move forward: time keeps flowing (a hosted form's
 * minimum fill time, sessions), and a jump of hours lets SLA clocks run out without waiting.
 */
export class ShiftedClock implements Clock {
  #offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

/**
 * The real server in-process on a free port with a fresh PGlite data folder, serving the built web
 * app (built first when missing or stale), and a headless Chromium. `clock` replaces the system
 * clock (tests that move time).
 */
export async function startWorld(opts: { clock?: Clock } = {}): Promise<E2EWorld> {
  await ensureWebBuild({ quiet: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  const runtime = await createRuntime(
    loadConfig({}, { dataDir, databaseUrl: undefined, logLevel: 'warn' }),
    opts.clock ? { clock: opts.clock } : {},
  );
  const address = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    runtime,
    baseUrl: address,
    browser,
    dataDir,
    async close() {
      await browser.close().catch(() => undefined);
      await runtime.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${slug(name)}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The first-run admin every browser test sets up its workspace with. */
export const E2E_ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct-horse-battery' };

/** A page in a new browser context as a desktop user sees the app: 1440×900, English, a time zone. */
export async function openPage(
  world: E2EWorld,
  opts: { timezoneId?: string; acceptDownloads?: boolean; permissions?: string[] } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    baseURL: world.baseUrl,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: opts.timezoneId ?? 'Europe/Berlin',
    acceptDownloads: opts.acceptDownloads ?? false,
    permissions: opts.permissions ?? [],
  });
  const page = await context.newPage();
  // Under a loaded CI machine a re-render can outlast Playwright's default of 30 s elsewhere and
  // fail late; 10 s fails fast with the locator named.
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Creates the workspace and its first admin (E2E_ADMIN) as the first-run screen does (the page is not signed in yet). */
export async function setupWorkspace(
  page: Page,
  opts: { workspaceName?: string; timeZone?: string } = {},
): Promise<void> {
  const res = await page.request.post('/api/setup', {
    data: {
      workspaceName: opts.workspaceName ?? 'Acme Export Co.',
      ...E2E_ADMIN,
      timeZone: opts.timeZone ?? 'Europe/Berlin',
    },
  });
  if (res.status() !== 201) throw new Error(`POST /api/setup → ${res.status()} ${await res.text()}`);
}

/** A new page signed in as `who` through the API (for tests that act as several users). */
export async function signedInPage(
  world: E2EWorld,
  who: { email: string; password: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openPage(world);
  const res = await opened.page.request.post('/api/auth/sign-in', {
    data: { email: who.email, password: who.password },
  });
  if (res.status() !== 200) throw new Error(`sign-in as ${who.email} → ${res.status()} ${await res.text()}`);
  return opened;
}

/** JSON API calls with the browser's session cookie (for seeding), sending the CSRF token. */
export async function apiCall<T>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  body?: unknown,
): Promise<T> {
  const me = await page.request.get('/api/me');
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await page.request.fetch(url, {
    method,
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok()) throw new Error(`${method} ${url} → ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}
