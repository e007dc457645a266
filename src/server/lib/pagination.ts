import { ValidationError } from './errors.ts';

/** Opaque keyset cursor: the sort value and id of the last row of the previous page. */
export interface Cursor {
  v: string | number | null;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      'id' in parsed &&
      typeof parsed.id === 'string' &&
      'v' in parsed &&
      (parsed.v === null || typeof parsed.v === 'string' || typeof parsed.v === 'number')
    ) {
      return { v: parsed.v, id: parsed.id };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('Invalid cursor', { cursor: 'is not a cursor this API returned' });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
