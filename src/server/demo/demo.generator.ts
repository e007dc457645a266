import type { Transaction } from 'kysely';
import type { Database, Role } from '../db/types.ts';
import { Rng } from './demo.rng.ts';
import { companiesStep } from './steps/companies.ts';
import { contactsStep } from './steps/contacts.ts';
import { workspaceStep } from './steps/workspace.ts';

/**
 * The synthetic-workspace generator behind `tandem demo` and the benchmarks: a list of steps, each
 * writing one kind of record from its own seeded random stream. The same seed gives the same data.
 * Later modules (deals, campaigns, touches…) add a step to DEMO_STEPS; a step reads what earlier
 * steps made from `run.world` and adds its own records there for the steps after it.
 */
export interface DemoOptions {
  workspaceName: string;
  contacts: number;
  seed: string;
  /** "Now" of the generated history (fixed, so the data does not depend on the day it is made). */
  anchor?: Date;
}

export interface DemoTeam {
  id: string;
  key: string;
  name: string;
  markets: readonly string[];
}

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
}

export interface DemoCompany {
  id: string;
  name: string;
  domain: string;
  country: string;
  ownerId: string | null;
  teamId: string | null;
}

/** What the steps have made so far (ids and the facts later steps need). */
export interface DemoWorld {
  workspaceId: string;
  workspaceName: string;
  slug: string;
  /** Every demo user signs in with this password. */
  password: string;
  teams: DemoTeam[];
  users: DemoUser[];
  companies: DemoCompany[];
  /** Rows written per table, for the summary. */
  counts: Record<string, number>;
}

export interface DemoRun {
  db: Transaction<Database>;
  options: Required<DemoOptions>;
  world: DemoWorld;
  /** This step's own random stream (seeded with the seed and the step name). */
  rng: Rng;
  /** Reports rows written (drives the progress bar). */
  progress(rows: number): void;
  /** A time in the past `maxDays` before the anchor, skewed towards recent. */
  pastTime(rng: Rng, maxDays: number): Date;
}

export interface DemoStep {
  name: string;
  /** How many rows the step will write (for the progress total). */
  rows(options: Required<DemoOptions>): number;
  run(run: DemoRun): Promise<void>;
}

export const DEMO_STEPS: DemoStep[] = [workspaceStep, companiesStep, contactsStep];

export const DEFAULT_ANCHOR = new Date('2026-11-01T00:00:00Z');
export const DEMO_PASSWORD = 'demo password';

export interface DemoHooks {
  onProgress?(done: number, total: number, step: string): void;
}

/**
 * Generates a whole workspace inside the caller's transaction (so a failure leaves nothing
 * behind). Returns what was made.
 */
export async function generateDemo(
  db: Transaction<Database>,
  opts: DemoOptions,
  hooks: DemoHooks = {},
  steps: readonly DemoStep[] = DEMO_STEPS,
): Promise<DemoWorld> {
  const options: Required<DemoOptions> = { anchor: DEFAULT_ANCHOR, ...opts };
  const total = steps.reduce((s, step) => s + step.rows(options), 0);
  let done = 0;
  const world: DemoWorld = {
    workspaceId: '',
    workspaceName: options.workspaceName,
    slug: '',
    password: DEMO_PASSWORD,
    teams: [],
    users: [],
    companies: [],
    counts: {},
  };
  const anchorMs = options.anchor.getTime();
  for (const step of steps) {
    hooks.onProgress?.(done, total, step.name);
    await step.run({
      db,
      options,
      world,
      rng: new Rng(`${options.seed}:${options.workspaceName}:${step.name}`),
      progress(rows) {
        done += rows;
        hooks.onProgress?.(Math.min(done, total), total, step.name);
      },
      pastTime(rng, maxDays) {
        const days = maxDays * rng.next() ** 1.6;
        return new Date(anchorMs - Math.floor(days * 86_400_000));
      },
    });
  }
  hooks.onProgress?.(total, total, 'done');
  return world;
}

/** ASCII form for e-mail local parts and domains: `Lefèvre` → `lefevre`, `Serra Azul` → `serra-azul`. */
export function asciiSlug(s: string, sep: '' | '-' | '.' = ''): string {
  const out = s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, sep);
  return sep ? out.split(sep).filter(Boolean).join(sep) : out;
}
