import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { addUser, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { ContentAssetDto, ContentShareDto } from '../../../contracts/content.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-content-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PDF2 = Buffer.from('%PDF-1.7\n% second edition\n%%EOF\n');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 not a pdf at all', 'latin1');

function multipart(parts: { name: string; value: string | Buffer; fileName?: string }[]) {
  const boundary = `----tandem${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.fileName
      ? `form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/octet-stream`
      : `form-data; name="${p.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n\r\n`),
      Buffer.from(p.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

forEachBackend('Content library', (t) => {
  let admin: TestUser;
  let rep: TestUser;
  let contact: ContactDto;

  async function uploadTo(url: string, user: TestUser, file: Buffer, fileName: string, meta?: unknown) {
    const body = multipart([
      ...(meta ? [{ name: 'meta', value: JSON.stringify(meta) }] : []),
      { name: 'file', value: file, fileName },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${user.token}`, 'content-type': body.contentType },
      payload: body.payload,
    });
    return {
      status: res.statusCode,
      body: res.json() as ContentAssetDto & { error: { message: string; fields?: Record<string, string> } },
    };
  }

  beforeEach(async () => {
    t.config.contentDir = fs.mkdtempSync(path.join(root, 'c-'));
    admin = await createWorkspace(t);
    rep = await addUser(t, admin.workspaceId, 'sales_rep');
    contact = (
      await admin.api.post<ContactDto>('/api/contacts', { email: 'buyer@example.com', ownerId: rep.userId })
    ).body;
  });

  it('stores uploads under the content folder, checks the type by content and the size', async () => {
    const meta = {
      title: 'Pump brochure',
      kind: 'brochure',
      product: 'Pumps',
      language: 'de',
      funnelStage: 'consideration',
    };
    const ok = await uploadTo('/api/content/files', admin, PDF, 'pumps.pdf', meta);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.versions[0]).toMatchObject({ version: 1, mime: 'application/pdf', bytes: PDF.length });
    expect(fs.readdirSync(path.join(t.config.contentDir, admin.workspaceId, ok.body.id))).toHaveLength(1);

    const fake = await uploadTo('/api/content/files', admin, EXE, 'invoice.pdf', meta);
    expect(fake.status).toBe(400);
    expect(fake.body.error.fields?.file).toMatch(/must be PDF/);
    const badMeta = await uploadTo('/api/content/files', admin, PDF, 'x.pdf', { ...meta, kind: 'poster' });
    expect(badMeta.status).toBe(400);
    expect(Object.keys(badMeta.body.error.fields ?? {})).toEqual(['meta.kind']);
    t.config.contentMaxBytes = 20;
    const big = await uploadTo('/api/content/files', admin, PDF, 'big.pdf', meta);
    expect(big.status).toBe(413);
    expect(
      (await rep.api.post('/api/content/links', { title: 'x', kind: 'web_page', url: 'https://example.com' }))
        .status,
    ).toBe(403);
    // Only the accepted file is on disk.
    const files = fs.readdirSync(path.join(t.config.contentDir, admin.workspaceId), { recursive: true });
    expect(files.filter((f) => String(f).includes('asv_'))).toHaveLength(1);
  });

  it('lets sales find assets by stage, language and product', async () => {
    await uploadTo('/api/content/files', admin, PDF, 'a.pdf', {
      title: 'A',
      kind: 'brochure',
      product: 'Pumps',
      language: 'de',
      funnelStage: 'awareness',
    });
    await uploadTo('/api/content/files', admin, PDF, 'b.pdf', {
      title: 'B',
      kind: 'price_list',
      product: 'Valves',
      language: 'en',
      funnelStage: 'decision',
    });
    await admin.api.post('/api/content/links', {
      title: 'C',
      kind: 'video',
      url: 'https://video.example/c',
      product: 'Pumps',
      language: 'en',
      funnelStage: 'decision',
    });
    const find = async (q: string) =>
      (await rep.api.get<{ items: ContentAssetDto[] }>(`/api/content?${q}`)).body.items
        .map((a) => a.title)
        .sort();
    expect(await find('funnelStage=decision')).toEqual(['B', 'C']);
    expect(await find('language=en&product=pumps')).toEqual(['C']);
    expect(await find('kind=brochure')).toEqual(['A']);
  });

  it('logs a content_view touch when a share link is opened; new versions keep links working; links expire', async () => {
    const asset = (
      await uploadTo('/api/content/files', admin, PDF, 'pumps.pdf', { title: 'Pumps', kind: 'brochure' })
    ).body;
    const share = await rep.api.post<ContentShareDto>(`/api/content/${asset.id}/shares`, {
      contactId: contact.id,
      expiresInDays: 7,
    });
    expect(share.status, JSON.stringify(share.body)).toBe(201);
    const open = await t.app.inject({ method: 'GET', url: share.body.path });
    expect(open.statusCode).toBe(200);
    expect(open.headers['content-type']).toBe('application/pdf');
    expect(open.rawPayload.equals(PDF)).toBe(true);
    const timeline = await admin.api.get<{
      items: { kind: string; touch?: { type: string; metadata: Record<string, unknown> } }[];
    }>(`/api/contacts/${contact.id}/timeline?kind=touch`);
    const views = timeline.body.items.filter((i) => i.touch?.type === 'content_view');
    expect(views).toHaveLength(1);
    expect(views[0]?.touch?.metadata).toMatchObject({ assetId: asset.id, version: 1 });

    const v2 = await uploadTo(`/api/content/${asset.id}/versions`, admin, PDF2, 'pumps-v2.pdf');
    expect(v2.status).toBe(201);
    expect(v2.body.versions.map((v) => v.version)).toEqual([2, 1]);
    const again = await t.app.inject({ method: 'GET', url: share.body.path });
    expect(again.rawPayload.equals(PDF2)).toBe(true);

    t.clock.advance(8 * 86_400_000);
    const expired = await t.app.inject({ method: 'GET', url: share.body.path });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');
    expect((await t.app.inject({ method: 'GET', url: '/c/nope' })).statusCode).toBe(404);
  });

  it('redirects a link asset, and answers a clear 404 when a file is missing from disk', async () => {
    const link = (
      await admin.api.post<ContentAssetDto>('/api/content/links', {
        title: 'Site',
        kind: 'web_page',
        url: 'https://example.com/pumps',
      })
    ).body;
    const share = (
      await admin.api.post<ContentShareDto>(`/api/content/${link.id}/shares`, { contactId: contact.id })
    ).body;
    const open = await t.app.inject({ method: 'GET', url: share.path });
    expect(open.statusCode).toBe(302);
    expect(open.headers.location).toBe('https://example.com/pumps');

    const file = (
      await uploadTo('/api/content/files', admin, PDF, 'gone.pdf', { title: 'Gone', kind: 'catalogue' })
    ).body;
    fs.rmSync(path.join(t.config.contentDir, admin.workspaceId, file.id), { recursive: true });
    const dl = await admin.api.get<{ error: { code: string; message: string } }>(
      `/api/content/${file.id}/versions/${file.versions[0]?.id}/file`,
    );
    expect(dl.status).toBe(404);
    expect(dl.body.error).toMatchObject({ code: 'file_missing' });
    expect(dl.body.error.message).toContain('gone.pdf');
  });
});
