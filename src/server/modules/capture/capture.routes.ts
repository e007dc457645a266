import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
  importCreateSchema,
  importEntitySchema,
  importPreviewRequestSchema,
  importPreviewSchema,
  importSchema,
  uploadSchema,
} from '../../../contracts/capture.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { canImport, canReadRecords } from '../workspaces/workspaces.policy.ts';
import { exportCsv, neutralise } from './capture.export.ts';
import * as repo from './capture.repo.ts';
import { createImport, previewImport } from './capture.service.ts';

const ALLOWED = new Set(['.csv', '.txt', '.tsv', '.xlsx']);
const idParams = z.strictObject({ id: z.string().max(64) });

function uploadDir(ctx: AppContext, workspaceId: string): string {
  return path.join(ctx.config.dataDir, 'uploads', workspaceId);
}

/** The stored path of an upload: a file id from another workspace is simply not found. */
function uploadedPath(
  ctx: AppContext,
  workspaceId: string,
  fileId: string,
): { filePath: string; fileName: string } {
  const dir = uploadDir(ctx, workspaceId);
  const match = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith(`${fileId}-`)) : undefined;
  if (!match) throw new NotFoundError('Uploaded file', fileId);
  return { filePath: path.join(dir, match), fileName: match.slice(fileId.length + 1) };
}

function toDto(r: repo.ImportRow) {
  const byBytes = r.file_bytes > 0 && r.format === 'csv' ? (100 * r.bytes_read) / r.file_bytes : 0;
  const done = r.status === 'completed' || r.status === 'validated' || r.status === 'failed';
  return {
    id: r.id,
    entity: r.entity,
    fileName: r.file_name,
    status: r.status,
    progress: done ? 100 : Math.min(99, Math.round(byBytes)),
    rowsSeen: r.rows_seen,
    rowsValid: r.rows_valid,
    inserted: r.inserted,
    updated: r.updated,
    skipped: r.skipped,
    rejected: r.rejected,
    error: r.error,
    dryRun: r.options.dryRun,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

export async function registerCaptureRoutes(app: ZApp, ctx: AppContext): Promise<void> {
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 5 } });

  app.post(
    '/api/imports/files',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'Upload a CSV or XLSX file to import',
        response: { 201: uploadSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const file = await req.file();
      if (!file)
        throw new ValidationError('No file uploaded', { file: 'send the file as multipart field "file"' });
      const ext = path.extname(file.filename).toLowerCase();
      if (!ALLOWED.has(ext)) {
        file.file.resume();
        throw new ValidationError('Unsupported file type', { file: 'must be .csv, .tsv, .txt or .xlsx' });
      }
      const fileId = newId('upl');
      const safeName = path
        .basename(file.filename)
        .replace(/[^\p{L}\p{N}._ -]/gu, '_')
        .slice(0, 120);
      const dir = uploadDir(ctx, actor.workspaceId);
      fs.mkdirSync(dir, { recursive: true });
      const dest = path.join(dir, `${fileId}-${safeName}`);
      await pipeline(file.file, fs.createWriteStream(dest));
      if (file.file.truncated) {
        fs.rmSync(dest, { force: true });
        throw new AppError(
          413,
          'file_too_large',
          `The file is larger than ${ctx.config.maxUploadBytes / 1024 / 1024} MB`,
        );
      }
      reply.status(201);
      return { fileId, fileName: safeName, bytes: fs.statSync(dest).size };
    },
  );

  app.post(
    '/api/imports/preview',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'Suggested mapping and the first rows with their validation errors; writes nothing',
        body: importPreviewRequestSchema,
        response: { 200: importPreviewSchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { filePath } = uploadedPath(ctx, actor.workspaceId, req.body.fileId);
      return previewImport(ctx, actor, { ...req.body, filePath });
    },
  );

  app.post(
    '/api/imports',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'Start an import (runs as a job; poll GET /api/imports/:id for progress)',
        body: importCreateSchema,
        response: { 202: importSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { filePath, fileName } = uploadedPath(ctx, actor.workspaceId, req.body.fileId);
      const id = await createImport(ctx, actor, { ...req.body, filePath, fileName }, { enqueue: true });
      reply.status(202);
      return toDto((await repo.getImport(ctx.db, actor.workspaceId, id))!);
    },
  );

  app.get(
    '/api/imports',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'Recent imports',
        response: { 200: z.object({ items: z.array(importSchema) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return { items: (await repo.listImports(ctx.db, actor.workspaceId, 50)).map(toDto) };
    },
  );

  app.get(
    '/api/imports/:id',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'An import with its progress',
        params: idParams,
        response: { 200: importSchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const imp = await repo.getImport(ctx.db, actor.workspaceId, req.params.id);
      if (!imp) throw new NotFoundError('Import', req.params.id);
      return toDto(imp);
    },
  );

  app.get(
    '/api/imports/:id/rejects',
    {
      config: { policy: canImport },
      schema: {
        tags: ['capture'],
        summary: 'The rejected rows as CSV, each with its reason',
        params: idParams,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const imp = await repo.getImport(ctx.db, actor.workspaceId, req.params.id);
      if (!imp) throw new NotFoundError('Import', req.params.id);
      async function* rows() {
        yield stringify([['row', 'reason', ...imp!.columns]]);
        let after = 0;
        for (;;) {
          const page = await repo.rejectsPage(ctx.db, actor.workspaceId, imp!.id, after, 5000);
          if (!page.length) return;
          yield stringify(
            page.map((r) => [
              r.row_number,
              r.reason,
              ...r.cells.map((c) => (c === null ? '' : neutralise(c))),
            ]),
          );
          after = page[page.length - 1]!.row_number;
        }
      }
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${imp.id}-rejected.csv"`);
      return reply.send(Readable.from(rows()));
    },
  );

  app.get(
    '/api/exports/:entity',
    {
      config: { policy: canReadRecords },
      schema: {
        tags: ['capture'],
        summary:
          'Export contacts, companies, touches or deals as CSV (the importer reads these headers back)',
        params: z.strictObject({ entity: importEntitySchema }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${req.params.entity}.csv"`);
      return reply.send(Readable.from(exportCsv(ctx, actor, req.params.entity)));
    },
  );
}
