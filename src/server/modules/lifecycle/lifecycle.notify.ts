import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';

export interface LifecycleNotice {
  workspaceId: string;
  userIds: string[];
  kind: string;
  title: string;
  body?: string;
  link?: string;
  data?: Record<string, unknown>;
  dedupeKey?: string;
  at?: Date;
}

/** One place where lifecycle hands a notice to the notifications module (bell and list). */
export async function sendNotification(_trx: Transaction<Database>, _n: LifecycleNotice): Promise<void> {
  // Wired to notifications' notify() once that module is on main.
}
