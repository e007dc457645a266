import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { addUser, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ImportDto, ImportPreviewDto } from '../../../contracts/capture.ts';

function multipart(fileName: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tandem${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

forEachBackend(
  'imports and exports over HTTP',
  (t) => {
    async function upload(u: TestUser, name: string, content: string | Buffer) {
      const { payload, headers } = multipart(name, Buffer.isBuffer(content) ? content : Buffer.from(content));
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/imports/files',
        payload,
        headers: { ...headers, authorization: `Bearer ${u.token}` },
      });
      return {
        status: res.statusCode,
        body: res.json() as { fileId: string; error?: { fields?: Record<string, string> } },
      };
    }

    async function waitFor(u: TestUser, id: string): Promise<ImportDto> {
      for (let i = 0; i < 120; i++) {
        const res = await u.api.get<ImportDto>(`/api/imports/${id}`);
        if (['completed', 'failed', 'validated'].includes(res.body.status)) return res.body;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('import did not finish');
    }

    it('uploads, previews, imports in a job, exports and re-imports the export unchanged', async () => {
      const admin = await createWorkspace(t);
      const csv =
        'E-mail,First Name,Last Name,Country,Tags\nmei@example.cn,Mei,Lin,China,fair;vip\n' +
        'not-an-email,=cmd|calc,"=HYPERLINK(""x"")",DE,\n';
      const up = await upload(admin, 'badges.csv', csv);
      expect(up.status).toBe(201);
      const preview = await admin.api.post<ImportPreviewDto>('/api/imports/preview', {
        fileId: up.body.fileId,
        entity: 'contacts',
      });
      expect(preview.status).toBe(200);
      expect(preview.body.mapping).toEqual(['email', 'firstName', 'lastName', 'country', 'tags']);
      expect(preview.body.rows.map((r) => r.error)).toEqual([null, 'E-mail: is not a valid e-mail address']);

      const started = await admin.api.post<ImportDto>('/api/imports', {
        fileId: up.body.fileId,
        entity: 'contacts',
        mode: 'valid',
        tags: ['canton-fair-2026'],
      });
      expect(started.status).toBe(202);
      const done = await waitFor(admin, started.body.id);
      expect(done).toMatchObject({ status: 'completed', inserted: 1, rejected: 1, progress: 100 });

      const rejects = await admin.api.get<string>(`/api/imports/${done.id}/rejects`);
      expect(rejects.status).toBe(200);
      expect(rejects.body).toContain('row,reason,E-mail,First Name,Last Name,Country,Tags');
      expect(rejects.body).toContain(
        '3,E-mail: is not a valid e-mail address,not-an-email,\'=cmd|calc,"\'=HYPERLINK(""x"")",DE,',
      );

      const exported = await admin.api.get<string>('/api/exports/contacts');
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toContain('text/csv');
      const lines = exported.body.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('mei@example.cn,Mei,Lin');
      expect(lines[1]).toMatch(/canton-fair-2026/);

      const back = await upload(admin, 'export.csv', exported.body);
      const again = await admin.api.post<ImportDto>('/api/imports', {
        fileId: back.body.fileId,
        entity: 'contacts',
      });
      expect(await waitFor(admin, again.body.id)).toMatchObject({
        status: 'completed',
        inserted: 0,
        skipped: 1,
      });
      const preview2 = await admin.api.post<ImportPreviewDto>('/api/imports/preview', {
        fileId: back.body.fileId,
        entity: 'contacts',
      });
      expect(preview2.body.rows[0]!.error).toBeNull();
      expect(preview2.body.mapping.filter(Boolean)).toEqual(
        expect.arrayContaining([
          'email',
          'firstName',
          'lastName',
          'country',
          'tags',
          'source',
          'firstTouchAt',
          'createdAt',
        ]),
      );
    });

    it('imports the first sheet of an XLSX workbook', async () => {
      const admin = await createWorkspace(t);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Leads');
      ws.addRow(['邮箱', '姓名', '公司', '首次联系']);
      ws.addRow(['wang@example.cn', '王芳', '华为', new Date(Date.UTC(2026, 2, 5))]);
      ws.addRow(['li@example.cn', '李雷', '华为', '2026-03-06']);
      const up = await upload(admin, 'leads.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      const started = await admin.api.post<ImportDto>('/api/imports', {
        fileId: up.body.fileId,
        entity: 'contacts',
      });
      expect(await waitFor(admin, started.body.id)).toMatchObject({ status: 'completed', inserted: 2 });
      const list = await admin.api.get<{ items: { email: string; lastName: string; companyName: string }[] }>(
        '/api/contacts?sort=email&order=asc',
      );
      expect(list.body.items.map((c) => [c.email, c.lastName, c.companyName])).toEqual([
        ['li@example.cn', '李', '华为'],
        ['wang@example.cn', '王', '华为'],
      ]);
    });

    it('refuses other file types, other workspaces and roles that may not import', async () => {
      const admin = await createWorkspace(t);
      const other = await createWorkspace(t);
      const rep = await addUser(t, admin.workspaceId, 'sales_rep');
      const bad = await upload(admin, 'photo.png', Buffer.from([0x89, 0x50]));
      expect(bad.status).toBe(400);
      expect(bad.body.error?.fields).toEqual({ file: 'must be .csv, .tsv, .txt or .xlsx' });
      const up = await upload(admin, 'a.csv', 'email\na@example.com\n');
      expect(
        (await other.api.post('/api/imports/preview', { fileId: up.body.fileId, entity: 'contacts' })).status,
      ).toBe(404);
      expect((await upload(rep, 'a.csv', 'email\n')).status).toBe(403);
      expect((await admin.api.post('/api/imports', { fileId: 'nope', entity: 'contacts' })).status).toBe(400);
    });
  },
  { work: true },
);
