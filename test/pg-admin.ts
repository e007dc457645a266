import pg from 'pg';

export const TEMPLATE_DB = 'tandem_test_template';

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
