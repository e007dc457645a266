import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorBody, type FieldErrors } from '../lib/errors.ts';

/** Maps every error to the one JSON shape. Nothing but AppError texts reach a client verbatim. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof AppError) {
    reply.status(err.status).send(err.toBody());
    return;
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: FieldErrors = {};
    const where: string = (err as FastifyError).validationContext ?? 'body';
    for (const v of err.validation) {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) {
        for (const key of v.params.keys)
          fields[path ? `${path}.${String(key)}` : String(key)] = 'is not a known field';
        continue;
      }
      const field = path || where;
      fields[field] ??= v.message ?? 'is invalid';
    }
    const body: ErrorBody = {
      error: { code: 'validation_failed', message: `Invalid ${where}: ${describeFields(fields)}`, fields },
    };
    reply.status(400).send(body);
    return;
  }
  const fe = err as FastifyError;
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) {
    req.log.error({ err }, 'unhandled error');
    reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    return;
  }
  reply.status(status).send({ error: { code: codeFor(fe), message: messageFor(fe) } });
}

function describeFields(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

function codeFor(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'invalid_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    default:
      return err.statusCode === 429 ? 'rate_limited' : 'bad_request';
  }
}

function messageFor(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty but JSON was declared';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large';
    default:
      return err.message;
  }
}
