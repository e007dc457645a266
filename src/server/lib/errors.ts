/**
 * One error hierarchy, one JSON shape: `{ error: { code, message, fields? } }`.
 * Services throw these; the HTTP layer maps them; the CLI prints `message`.
 */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldErrors; existingId?: string };
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors | undefined;
  constructor(status: number, code: string, message: string, fields?: FieldErrors) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fields?: FieldErrors) {
    super(400, 'validation_failed', message, fields);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'forbidden', message);
  }
}

/** Also used for another workspace's record: never reveal that it exists. */
export class NotFoundError extends AppError {
  constructor(entity: string, id?: string) {
    super(404, 'not_found', id ? `${entity} ${id} not found` : `${entity} not found`);
  }
}

export class ConflictError extends AppError {
  readonly existingId: string | undefined;
  constructor(message: string, existingId?: string, fields?: FieldErrors) {
    super(409, 'conflict', message, fields);
    this.existingId = existingId;
  }
  override toBody(): ErrorBody {
    const body = super.toBody();
    if (this.existingId) body.error.existingId = this.existingId;
    return body;
  }
}

export class RateLimitedError extends AppError {
  constructor(message = 'Too many requests, try again later') {
    super(429, 'rate_limited', message);
  }
}
