import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import { markFirstSalesTouch } from './lifecycle.routing.repo.ts';
import type { ClockContext } from './lifecycle.service.ts';
import { changeStage } from './lifecycle.service.ts';

/** The parts of a freshly written touch lifecycle reacts to. */
export interface WrittenTouch {
  contactId: string;
  type: string;
  direction: 'marketing' | 'sales';
  occurredAt: Date;
  metadata: Record<string, unknown>;
}

/** A hand-raise: a reply, or a submission of a form marked as a hand-raise (quote or demo request). */
export function isHandRaise(t: WrittenTouch): boolean {
  return t.type === 'email_reply' || (t.type === 'form_submit' && t.metadata.handRaise === true);
}

/**
 * Called by the touch log in the transaction that wrote the touches: a sales touch starts (stops)
 * the SLA clock of the contact's open assignment; a hand-raise makes the contact an MQL at once,
 * whatever its score (which routes it and runs its playbook).
 */
export async function onTouchesWritten(
  trx: Transaction<Database>,
  ctx: ClockContext,
  workspaceId: string,
  touches: WrittenTouch[],
): Promise<void> {
  await markFirstSalesTouch(
    trx,
    workspaceId,
    touches.filter((t) => t.direction === 'sales').map((t) => ({ contactId: t.contactId, at: t.occurredAt })),
  );
  const raised = new Map<string, WrittenTouch>();
  for (const t of touches) if (isHandRaise(t) && !raised.has(t.contactId)) raised.set(t.contactId, t);
  for (const [contactId, t] of raised) {
    await changeStage(trx, ctx, {
      workspaceId,
      contactId,
      to: 'mql',
      cause: 'rule',
      reason: t.type === 'email_reply' ? 'hand-raise: replied' : 'hand-raise: form submission',
    });
  }
}
