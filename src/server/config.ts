import path from 'node:path';
import { z } from 'zod';

/**
 * The one reader of process.env. Every setting has a default so `npm start` needs no set-up;
 * a bad value fails fast with one line naming the variable.
 */
const envSchema = z.object({
  TANDEM_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TANDEM_HOST: z.string().min(1).default('127.0.0.1'),
  TANDEM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  TANDEM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TANDEM_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TANDEM_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  TANDEM_SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  TANDEM_JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(2),
  TANDEM_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(10_240).default(512),
  TANDEM_CONTENT_DIR: z.string().min(1).optional(),
  TANDEM_CONTENT_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(100),
  CI: z.string().optional(),
});

/** Every environment variable Tandem reads (the README's configuration table lists each one). */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

export type Engine = 'pglite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  engine: Engine;
  logLevel: z.infer<typeof envSchema>['TANDEM_LOG_LEVEL'];
  sessionDays: number;
  secureCookies: boolean;
  signInRateLimit: number;
  jobPollSeconds: number;
  /** Largest import upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Where content library files are kept (default `<dataDir>/content`). */
  contentDir: string;
  /** Largest content library upload accepted, in bytes. */
  contentMaxBytes: number;
  isCI: boolean;
}

export type ConfigOverrides = Partial<Pick<Config, 'port' | 'host' | 'dataDir' | 'databaseUrl' | 'logLevel'>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; overrides come from CLI flags and tests. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and .env files use it.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${String(issue?.path.join('.'))}: ${issue?.message}`);
  }
  const e = parsed.data;
  const databaseUrl = 'databaseUrl' in overrides ? overrides.databaseUrl : e.DATABASE_URL;
  return {
    port: overrides.port ?? e.TANDEM_PORT,
    host: overrides.host ?? e.TANDEM_HOST,
    dataDir: path.resolve(overrides.dataDir ?? e.TANDEM_DATA_DIR),
    databaseUrl,
    engine: databaseUrl ? 'postgres' : 'pglite',
    logLevel: overrides.logLevel ?? e.TANDEM_LOG_LEVEL,
    sessionDays: e.TANDEM_SESSION_DAYS,
    secureCookies: e.TANDEM_SECURE_COOKIES,
    signInRateLimit: e.TANDEM_SIGNIN_RATE_LIMIT,
    jobPollSeconds: e.TANDEM_JOB_POLL_SECONDS,
    maxUploadBytes: e.TANDEM_MAX_UPLOAD_MB * 1024 * 1024,
    contentDir: path.resolve(
      e.TANDEM_CONTENT_DIR ?? path.join(overrides.dataDir ?? e.TANDEM_DATA_DIR, 'content'),
    ),
    contentMaxBytes: e.TANDEM_CONTENT_MAX_MB * 1024 * 1024,
    isCI: e.CI === 'true' || e.CI === '1',
  };
}

/**
 * Raw env access for the test harness and bench only (same module, so one reader stays true):
 * TANDEM_TEST_DATABASE_URL (PostgreSQL admin URL for tests), CI, TANDEM_BENCH_SCALE (contacts to
 * generate, default 100000) and TANDEM_BENCH_DATABASE_URL (PostgreSQL for `npm run bench`; falls back
 * to DATABASE_URL).
 */
export function testEnv(
  name: 'TANDEM_TEST_DATABASE_URL' | 'CI' | 'TANDEM_BENCH_SCALE' | 'TANDEM_BENCH_DATABASE_URL',
): string | undefined {
  return process.env[name];
}
