import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { emailSchema, passwordSchema, roleSchema } from '../contracts/common.ts';
import {
  CLI_ACTOR,
  check,
  configFor,
  type DataOpts,
  dataOption,
  open,
  out,
  parseIntIn,
  resolveWorkspace,
  UsageError,
  where,
  withData,
} from './cli.common.ts';
import { ConfigError, type ConfigOverrides } from './config.ts';
import { AppError } from './lib/errors.ts';
import { registerCaptureCommands } from './modules/capture/capture.cli.ts';
import { registerLifecycleCommands } from './modules/lifecycle/lifecycle.cli.ts';
import { registerReportCommands } from './modules/reports/reports.cli.ts';
import { registerSegmentCommands } from './modules/segments/segments.cli.ts';

/**
 * The `tandem` command. Exit codes: 0 done, 1 could not start (database, configuration),
 * 2 bad input (unknown flag or role, missing option, wrong workspace): one line on stderr, nothing written.
 * Everything that needs the database or the HTTP stack is imported when a command runs, so bad
 * input is refused in a blink and `tandem --help` does not load the whole server.
 */
const wsService = () => import('./modules/workspaces/workspaces.service.ts');
const wsRepo = () => import('./modules/workspaces/workspaces.repo.ts');
const dbClient = () => import('./db/client.ts');
const DEFAULT_WORKSPACE = 'My workspace';

async function userAdd(opts: {
  email: string;
  password: string;
  role: string;
  name?: string;
  workspace?: string;
  data?: string;
}): Promise<void> {
  const roleOk = roleSchema.safeParse(opts.role.trim().toLowerCase().replace(/[- ]/g, '_'));
  if (!roleOk.success) {
    throw new UsageError(`unknown role "${opts.role}": use one of ${roleSchema.options.join(', ')}`);
  }
  const role = roleOk.data;
  const email = check('--email', emailSchema, opts.email.trim()).toLowerCase();
  const password = check('--password', passwordSchema, opts.password);
  const name = opts.name?.trim() || email.split('@')[0] || email;
  await withData(opts, async (dbh) => {
    const repo = await wsRepo();
    const { createWorkspaceWithUser, insertUserAudited } = await wsService();
    const result = await dbh.db.transaction().execute(async (trx) => {
      await repo.lockSetup(trx); // the web's first-run set-up takes the same lock
      const workspaces = await repo.listWorkspaces(trx);
      if (workspaces.length === 0) {
        if (role !== 'admin') {
          throw new UsageError(`the first user of a new workspace must be an admin (got --role ${role})`);
        }
        const wsName = opts.workspace?.trim() || DEFAULT_WORKSPACE;
        const { workspaceId } = await createWorkspaceWithUser(
          trx,
          wsName,
          { email, name, password, role },
          CLI_ACTOR,
        );
        return { created: true, workspaceName: wsName, workspaceId };
      }
      const ws = await resolveWorkspace(trx, opts.workspace);
      if (!ws) throw new UsageError('no workspace found');
      await insertUserAudited(
        trx,
        ws.id,
        { email, name, password, role },
        { userId: null, label: CLI_ACTOR },
      );
      return { created: false, workspaceName: ws.name, workspaceId: ws.id };
    });
    out(
      result.created
        ? `Created workspace "${result.workspaceName}" with ${role} ${email}`
        : `Added ${role} ${email} to workspace "${result.workspaceName}"`,
    );
  });
}

async function tokenCreate(opts: { email: string; name?: string; workspace?: string; data?: string }) {
  const email = check('--email', emailSchema, opts.email.trim()).toLowerCase();
  await withData(opts, async (dbh) => {
    const ws = await resolveWorkspace(dbh.db, opts.workspace, email);
    if (!ws) throw new UsageError('there is no workspace yet: add a user first (tandem user add)');
    const user = await (await wsRepo()).findUserByEmail(dbh.db, ws.id, email);
    if (!user) throw new UsageError(`no user ${email} in workspace "${ws.name}"`);
    if (!user.active) throw new UsageError(`user ${email} is deactivated`);
    const { createApiToken } = await wsService();
    const { token } = await createApiToken(dbh.db, ws.id, user.id, opts.name?.trim() || 'cli', {
      userId: null,
      label: CLI_ACTOR,
    });
    out(token);
  });
}

async function demo(opts: { contacts: number; seed: string; workspace: string; data?: string }) {
  const started = performance.now();
  const bar = new SingleBar(
    {
      format: 'demo {step} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let barStarted = false;
  const { generateDemo } = await import('./demo/demo.generator.ts');
  const { analyze } = await import('./demo/demo.repo.ts');
  await withData(opts, async (dbh, config) => {
    const world = await dbh.db.transaction().execute((trx) =>
      generateDemo(
        trx,
        { workspaceName: opts.workspace, contacts: opts.contacts, seed: opts.seed },
        {
          onProgress(done, total, step) {
            if (!barStarted) {
              bar.start(total, done, { step });
              barStarted = true;
            } else bar.update(done, { step });
          },
        },
      ),
    );
    if (barStarted) bar.stop();
    await analyze(dbh.db);
    const c = world.counts;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    out(
      `Demo workspace "${world.workspaceName}" (${world.slug}) ready in ${secs} s on the ${where(config)}: ` +
        `${c.teams} teams, ${c.users} users, ${c.companies} companies, ${c.contacts} contacts.`,
    );
    out(`Sign in as admin@${world.slug}.example with the password "${world.password}".`);
  }).finally(() => {
    if (barStarted) bar.stop();
  });
}

async function health(opts: DataOpts): Promise<void> {
  const config = configFor(opts);
  const dbh = await open(config);
  try {
    const { schemaVersion, latestSchemaVersion } = await dbClient();
    const version = await schemaVersion(dbh.db);
    const pending = latestSchemaVersion - version;
    out(
      `ok: engine ${dbh.engine} (${where(config)}), schema version ${version} of ${latestSchemaVersion}` +
        (pending > 0 ? ` (${pending} pending: run tandem migrate, or tandem start migrates)` : ''),
    );
  } finally {
    await dbh.close();
  }
}

async function migrate(opts: DataOpts): Promise<void> {
  const config = configFor(opts);
  // The runtime also creates the job queue's own tables, so a migrated database is complete.
  const { createRuntime } = await import('./runtime.ts');
  const rt = await createRuntime(config, { work: false });
  const version = rt.ctx.schemaVersion;
  await rt.close();
  out(`Migrated the ${where(config)} to schema version ${version}`);
}

/** Builds the command tree; `running` is set by commands that keep the process alive. */
export function buildProgram(state: { running: boolean }): Command {
  const program = new Command('tandem')
    .description(
      'Tandem: marketing and sales in one closed loop. Data commands use --data DIR or DATABASE_URL.',
    )
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`${(text.split('\n')[0] ?? text).replace(/^error: /, 'tandem: ')}\n`),
    });

  program
    .command('start')
    .description('run the web app, the API and the job workers (migrates first)')
    .option('--port <n>', 'port to listen on (default 3000, or TANDEM_PORT)', parseIntIn(0, 65535))
    .option(...dataOption)
    .action(async (o: DataOpts & { port?: number }) => {
      state.running = true;
      const overrides: ConfigOverrides = {};
      if (o.data) overrides.dataDir = o.data;
      if (o.port !== undefined) overrides.port = o.port;
      const { startServer } = await import('./main.ts');
      await startServer(overrides);
    });

  program
    .command('worker')
    .description('run only the job workers (scaled-out installs on PostgreSQL)')
    .action(async () => {
      state.running = true;
      const { runWorker } = await import('./worker.ts');
      await runWorker();
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option(...dataOption)
    .action(migrate);

  program
    .command('health')
    .description('check the database: engine and schema version')
    .option(...dataOption)
    .action(health);

  const user = program.command('user').description('manage users');
  user
    .command('add')
    .description('add a user (the first one creates the workspace)')
    .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
    .requiredOption('--password <password>', 'at least 10 characters')
    .requiredOption('--role <role>', 'admin, marketing, sales_manager, sales_rep or service')
    .option('--name <name>', 'display name (default: the part of the e-mail before @)')
    .option('--workspace <name>', 'workspace name or slug (required when there are several)')
    .option(...dataOption)
    .action(userAdd);

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user and print it (shown once)')
    .requiredOption('--email <address>', 'the user the token acts as')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--workspace <name>', 'workspace name or slug (required when the e-mail is in several)')
    .option(...dataOption)
    .action(tokenCreate);

  program
    .command('demo')
    .description('generate a synthetic demo workspace (same seed, same data)')
    .option('--contacts <n>', 'number of contacts', parseIntIn(0, 5_000_000), 5000)
    .option('--seed <seed>', 'random seed', '1')
    .option('--workspace <name>', 'name of the new workspace', 'Demo')
    .option(...dataOption)
    .action(demo);

  registerCaptureCommands(program);
  registerSegmentCommands(program);
  registerLifecycleCommands(program);
  registerReportCommands(program);
  return program;
}

/** Maps an error to its one line and exit code. */
function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander printed it
  if (err instanceof UsageError || err instanceof AppError) {
    // One line still: the fields the service named, after its message.
    const fields =
      err instanceof AppError && err.fields ? Object.entries(err.fields).map(([k, v]) => `${k} ${v}`) : [];
    process.stderr.write(`tandem: ${err.message}${fields.length ? `: ${fields.join('; ')}` : ''}\n`);
    return 2;
  }
  // StartupError by name: its module (the database client) is loaded only when a command needs it.
  if ((err instanceof Error && err.name === 'StartupError') || err instanceof ConfigError) {
    process.stderr.write(`tandem: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`tandem: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

/** Runs the CLI; exits when the command is done (servers keep running until a signal). */
export async function run(argv: string[] = process.argv): Promise<void> {
  const state = { running: false };
  let code = 0;
  try {
    await buildProgram(state).parseAsync(argv);
  } catch (err) {
    code = report(err);
  }
  if (!state.running || code !== 0) process.exit(code);
}

if (import.meta.main) await run();
