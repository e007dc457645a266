import { ConfigError, type ConfigOverrides, loadConfig } from './config.ts';
import { StartupError } from './db/client.ts';
import { createRuntime } from './runtime.ts';

/** Starts the HTTP server and the worker in one process; prints one line and exits 1 on a bad start. */
export async function startServer(overrides: ConfigOverrides = {}): Promise<void> {
  const started = performance.now();
  try {
    const config = loadConfig(process.env, overrides);
    const rt = await createRuntime(config, { logger: false });
    const address = await rt.app.listen({ port: config.port, host: config.host });
    const stop = async () => {
      await rt.close();
      process.exit(0);
    };
    // Listen before announcing: whoever reads the ready line may signal at once.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const ms = Math.round(performance.now() - started);
    const where = config.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
    console.log(`Tandem is ready at ${address.replace('127.0.0.1', 'localhost')} (${where}, ${ms} ms)`);
  } catch (err) {
    if (err instanceof StartupError || err instanceof ConfigError) {
      console.error(`Tandem could not start: ${err.message}`);
    } else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') {
      console.error(`Tandem could not start: port ${overrides.port ?? 'in use'} is already in use`);
    } else {
      console.error(`Tandem could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.exit(1);
  }
}

if (import.meta.main) await startServer();
