import pg from 'pg';

/** One template per test run, so parallel runs against one server never drop each other's template. */
export function templateName(runId: string): string {
  return `tandem_tpl_${runId}`;
}

/** The maintenance database of the server, where CREATE/DROP DATABASE run. */
export function adminUrl(base: string): string {
  const u = new URL(base);
  u.pathname = '/postgres';
  return u.toString();
}

export async function withDatabase<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
