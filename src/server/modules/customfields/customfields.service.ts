import type {
  CustomFieldCreate,
  CustomFieldDto,
  CustomFieldListQuery,
  CustomFieldUpdate,
} from '../../../contracts/customFields.ts';
import type { CustomFieldEntity, CustomFieldRow, CustomFieldType, CustomValues } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { type Db, isUniqueViolation } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './customfields.repo.ts';

const WITH_OPTIONS: ReadonlySet<CustomFieldType> = new Set(['select', 'multi_select']);

export function toCustomFieldDto(r: CustomFieldRow): CustomFieldDto {
  return {
    id: r.id,
    entity: r.entity,
    key: r.key,
    label: r.label,
    type: r.type,
    options: r.options,
    required: r.required,
  };
}

function checkOptions(type: CustomFieldType, options: string[]): void {
  if (WITH_OPTIONS.has(type)) {
    if (options.length === 0)
      throw new ValidationError('Invalid custom field', {
        options: `a ${type} field needs at least one option`,
      });
    if (new Set(options).size !== options.length)
      throw new ValidationError('Invalid custom field', { options: 'must not repeat an option' });
  } else if (options.length > 0) {
    throw new ValidationError('Invalid custom field', {
      options: 'only select and multi_select fields have options',
    });
  }
}

/** The workspace's custom field definitions, optionally of one entity. */
export async function listCustomFields(
  ctx: AppContext,
  actor: Actor,
  query: CustomFieldListQuery = {},
): Promise<CustomFieldDto[]> {
  const rows = await repo.listFields(ctx.db, actor.workspaceId, query.entity);
  return rows.map(toCustomFieldDto);
}

/** Defines a custom field; a key already used for the entity is a 409 with the existing id. */
export async function createCustomField(
  ctx: AppContext,
  actor: Actor,
  input: CustomFieldCreate,
): Promise<CustomFieldDto> {
  checkOptions(input.type, input.options);
  const conflict = async () => {
    const existing = await repo.findFieldByKey(ctx.db, actor.workspaceId, input.entity, input.key);
    return new ConflictError(`A ${input.entity} field with key ${input.key} exists`, existing?.id, {
      key: 'is taken',
    });
  };
  if (await repo.findFieldByKey(ctx.db, actor.workspaceId, input.entity, input.key)) throw await conflict();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const at = ctx.clock.now();
      const row = await repo.insertField(trx, {
        workspaceId: actor.workspaceId,
        id: newId('cf', at.getTime()),
        entity: input.entity,
        key: input.key,
        label: input.label,
        type: input.type,
        options: input.options,
        required: input.required,
        at,
      });
      const dto = toCustomFieldDto(row);
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'create',
        entityType: 'custom_field',
        entityId: row.id,
        diff: {
          entity: dto.entity,
          key: dto.key,
          label: dto.label,
          type: dto.type,
          options: dto.options,
          required: dto.required,
        },
        at,
      });
      return dto;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw await conflict();
    throw err;
  }
}

/** Changes a field's label, options or required flag (key, entity and type are fixed). */
export async function updateCustomField(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CustomFieldUpdate,
): Promise<CustomFieldDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findField(trx, actor.workspaceId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Custom field', id);
    if (input.options !== undefined) checkOptions(current.type, input.options);
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    if (input.label !== undefined && input.label !== current.label)
      diff.label = { from: current.label, to: input.label };
    if (input.options !== undefined && JSON.stringify(input.options) !== JSON.stringify(current.options))
      diff.options = { from: current.options, to: input.options };
    if (input.required !== undefined && input.required !== current.required)
      diff.required = { from: current.required, to: input.required };
    if (Object.keys(diff).length === 0) return toCustomFieldDto(current);
    const at = ctx.clock.now();
    const row = await repo.updateField(trx, actor.workspaceId, id, {
      ...(diff.label ? { label: input.label } : {}),
      ...(diff.options ? { options: input.options } : {}),
      ...(diff.required ? { required: input.required } : {}),
      at,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'custom_field',
      entityId: id,
      diff,
      at,
    });
    return toCustomFieldDto(row);
  });
}

/** Removes a field and its values from every record of its entity (one transaction, one audit row). */
export async function deleteCustomField(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findField(trx, actor.workspaceId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Custom field', id);
    await repo.deleteField(trx, actor.workspaceId, id);
    const cleared = await repo.stripCustomKey(trx, actor.workspaceId, current.entity, current.key);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'delete',
      entityType: 'custom_field',
      entityId: id,
      diff: { entity: current.entity, key: current.key, type: current.type, recordsCleared: cleared },
      at: ctx.clock.now(),
    });
  });
}

/** The definitions a record write is validated against. */
export async function fieldsFor(
  db: Db,
  workspaceId: string,
  entity: CustomFieldEntity,
): Promise<CustomFieldRow[]> {
  return repo.listFields(db, workspaceId, entity);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

type CustomValue = CustomValues[string];

/** One value against its definition: the normalised value (null clears), or an error message. */
function checkValue(def: CustomFieldRow, value: CustomValue): { value: CustomValue } | { error: string } {
  if (value === null) return { value: null };
  switch (def.type) {
    case 'text': {
      if (typeof value !== 'string') return { error: 'must be text' };
      const text = value.trim();
      return { value: text === '' ? null : text };
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { error: 'must be a number' };
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? { value }
        : { error: 'must be a date as YYYY-MM-DD' };
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
    case 'select':
      return typeof value === 'string' && def.options.includes(value)
        ? { value }
        : { error: `must be one of: ${def.options.join(', ')}` };
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !def.options.includes(v)))
        return { error: `must be a list of: ${def.options.join(', ')}` };
      const unique = [...new Set(value)];
      return { value: unique.length ? unique : null };
    }
  }
}

/**
 * Validates custom values against the definitions and merges them over the record's current values
 * (`current` is null on create). A null value clears a key. Errors name `custom.<key>`; unknown keys
 * are errors too. Required fields must be present on create, and may not be cleared by an update
 * (records that predate a required field keep validating until someone touches that field).
 */
export function validateCustomValues(
  defs: CustomFieldRow[],
  input: CustomValues | undefined,
  current: CustomValues | null,
): { values: CustomValues; errors: FieldErrors } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const values: CustomValues = { ...(current ?? {}) };
  const errors: FieldErrors = {};
  for (const [key, raw] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def) {
      errors[`custom.${key}`] = 'is not a defined custom field';
      continue;
    }
    const checked = checkValue(def, raw);
    if ('error' in checked) {
      errors[`custom.${key}`] = checked.error;
      continue;
    }
    if (checked.value === null) {
      delete values[key];
      if (def.required) errors[`custom.${key}`] = 'is required';
    } else {
      values[key] = checked.value;
    }
  }
  if (current === null) {
    for (const def of defs) {
      if (def.required && values[def.key] === undefined) errors[`custom.${def.key}`] ??= 'is required';
    }
  }
  return { values, errors };
}
