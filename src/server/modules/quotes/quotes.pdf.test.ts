import zlib from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { expect, it } from 'vitest';
import { forEachBackend } from '../../../../test/harness.ts';
import { draftQuote, ok, salesWorld } from './quotes.fixtures.ts';
import { pdfLocale } from './quotes.pdf.ts';

/** The text layer of every page, as a PDF viewer would copy it out. */
async function pdfText(bytes: Buffer): Promise<string> {
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: false });
  const pdf = await task.promise;
  const parts: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const content = await (await pdf.getPage(p)).getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str);
  }
  await task.destroy();
  return parts.join(' ');
}

/** A real 2×2 PNG (red), built by hand: signature, IHDR, IDAT, IEND with their CRCs. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.from([0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat([row, row]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function multipart(file: Buffer, name: string, type: string) {
  const boundary = '----tandemtest';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

it('picks the PDF language from the contact, falling back to the workspace default', () => {
  expect(pdfLocale('zh', 'en')).toBe('zh-CN');
  expect(pdfLocale('zh-TW', 'en')).toBe('zh-CN');
  expect(pdfLocale('en-GB', 'zh-CN')).toBe('en');
  expect(pdfLocale(null, 'zh-CN')).toBe('zh-CN');
  expect(pdfLocale('de', 'en')).toBe('en');
});

forEachBackend('quote PDF', (t) => {
  it('renders a Chinese contact’s quote in Chinese with an embedded CJK font and the workspace branding', async () => {
    const w = await salesWorld(t, { language: 'zh-CN' });
    const upload = multipart(tinyPng(), 'logo.png', 'image/png');
    const logo = await t.app.inject({
      method: 'POST',
      url: '/api/workspace/logo',
      headers: { ...upload.headers, authorization: `Bearer ${w.admin.token}` },
      payload: upload.payload,
    });
    expect(logo.statusCode, logo.body).toBe(200);
    expect(JSON.parse(logo.body)).toMatchObject({ hasLogo: true });

    const q = await draftQuote(w, w.rep, 5);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/quotes/${q.id}/pdf`,
      headers: { authorization: `Bearer ${w.rep.token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`${q.label}.pdf`);
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    for (const s of [
      '报价单',
      '不锈钢球阀 DN100',
      '总计',
      '有效期至',
      'VLV-100',
      'Centrifugal pump',
      q.label,
    ]) {
      expect(text).toContain(s);
    }
    const workspace = await t.ctx.db
      .selectFrom('workspaces')
      .select('name')
      .where('id', '=', w.admin.workspaceId)
      .executeTakeFirstOrThrow();
    expect(text).toContain(workspace.name);
    expect(text).toContain('3,300.00'); // 2 × 1,250.00 + 800.00, grouped
    // The font is embedded as a subset (a few KB of glyphs, not the 10 MB file) and the logo as an image.
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\/Subtype \/Image/);
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('renders an English contact’s quote in English, and ?locale= overrides', async () => {
    const w = await salesWorld(t, { language: 'en' });
    const q = await draftQuote(w, w.rep);
    const en = await t.app.inject({
      method: 'GET',
      url: `/api/quotes/${q.id}/pdf`,
      headers: { authorization: `Bearer ${w.rep.token}` },
    });
    const text = await pdfText(en.rawPayload);
    expect(text).toContain('Quotation');
    expect(text).toContain('Valid until');
    expect(text).not.toContain('报价单');
    expect(text).toContain('不锈钢球阀'); // a Chinese product name still renders in an English quote
    const zh = await t.app.inject({
      method: 'GET',
      url: `/api/quotes/${q.id}/pdf?locale=zh-CN`,
      headers: { authorization: `Bearer ${w.rep.token}` },
    });
    expect(await pdfText(zh.rawPayload)).toContain('报价单');
  });

  it('refuses a logo that is not a PNG or JPEG, naming the field', async () => {
    const w = await salesWorld(t);
    const upload = multipart(Buffer.from('GIF89a not really'), 'logo.gif', 'image/gif');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/workspace/logo',
      headers: { ...upload.headers, authorization: `Bearer ${w.admin.token}` },
      payload: upload.payload,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.fields).toHaveProperty('file');
    ok(await w.admin.api.get('/api/quote-settings'), 200);
  });
});
