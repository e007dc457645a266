import { ConfigError, type ConfigOverrides, loadConfig } from './config.ts';
import { StartupError } from './db/client.ts';
import { createRuntime } from './runtime.ts';

/**
 * The job workers alone, without the HTTP server: for installs that scale out on PostgreSQL
 * (several app processes plus one or more workers on one database; pg-boss hands each job to one
 * worker with SKIP LOCKED). The embedded database belongs to one process, so there `tandem start`
 * runs the jobs itself.
 */
export async function runWorker(overrides: ConfigOverrides = {}): Promise<void> {
  try {
    const config = loadConfig(process.env, overrides);
    if (config.engine === 'pglite') {
      console.error(
        'Tandem worker: a separate worker needs PostgreSQL (set DATABASE_URL); with the embedded database `tandem start` runs the jobs',
      );
      process.exit(2);
    }
    const rt = await createRuntime(config, { work: true });
    const stop = async () => {
      await rt.close();
      process.exit(0);
    };
    // Listen before announcing: whoever reads the line may signal at once.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const jobs = rt.ctx.queue.names();
    console.log(
      `Tandem worker is running ${jobs.length} job types on PostgreSQL (polling every ${config.jobPollSeconds} s)`,
    );
  } catch (err) {
    const message =
      err instanceof StartupError || err instanceof ConfigError || err instanceof Error
        ? err.message
        : String(err);
    console.error(`Tandem worker could not start: ${message}`);
    process.exit(1);
  }
}

if (import.meta.main) await runWorker();
