import type { TFunction } from 'i18next';

/** Audit actions and entity types the server writes today; anything else shows as written. */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'merge',
  'owner_change',
  'role_change',
  'activate',
  'deactivate',
  'revoke',
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'export',
  'import',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  'contact',
  'company',
  'user',
  'team',
  'custom_field',
  'api_token',
  'workspace',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

function normalise(action: string): string {
  // `contact.update` and `update` both name the same action
  return action.split('.').pop()?.toLowerCase() ?? action;
}

export function isAuditAction(a: string): a is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(a);
}

export function actionLabel(action: string, t: TFunction): string {
  const a = normalise(action);
  return isAuditAction(a) ? t(`audit.actions.${a}`) : action;
}

export function actionKind(action: string): AuditAction | null {
  const a = normalise(action);
  return isAuditAction(a) ? a : null;
}

export function entityLabel(entity: string, t: TFunction): string {
  return (AUDIT_ENTITIES as readonly string[]).includes(entity)
    ? t(`audit.entities.${entity as AuditEntity}`)
    : entity;
}
