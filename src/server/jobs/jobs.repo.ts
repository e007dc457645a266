import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/types.ts';
import { JOB_SCHEMA, type JobState } from './queue.ts';

export interface JobRow {
  id: string;
  name: string;
  state: JobState;
  retry_count: number;
  retry_limit: number;
  error: string | null;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
}

export interface JobFilter {
  workspaceId: string;
  state?: JobState | undefined;
  name?: string | undefined;
  limit: number;
}

/**
 * Jobs from pg-boss's own table, newest first. A job belongs to a workspace when its payload
 * carries `workspaceId`; jobs without one (installation-wide maintenance) are visible to every admin.
 */
export async function listJobs(db: Kysely<Database>, f: JobFilter): Promise<JobRow[]> {
  const job = sql.table(`${JOB_SCHEMA}.job`);
  const { rows } = await sql<JobRow>`
    SELECT id::text AS id, name, state::text AS state, retry_count, retry_limit,
           output->>'message' AS error, created_on, started_on, completed_on, start_after
    FROM ${job}
    WHERE (data->>'workspaceId' IS NULL OR data->>'workspaceId' = ${f.workspaceId})
      AND (${f.state ?? null}::text IS NULL OR state::text = ${f.state ?? null})
      AND (${f.name ?? null}::text IS NULL OR name = ${f.name ?? null})
    ORDER BY created_on DESC, id DESC
    LIMIT ${f.limit}`.execute(db);
  return rows;
}
