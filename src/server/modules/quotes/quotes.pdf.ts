import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { QuoteDto } from '../../../contracts/quotes.ts';
import type { Locale } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { formatMoney } from '../../lib/money.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './quotes.repo.ts';
import { getQuote } from './quotes.service.ts';
import { readLogo } from './quotes.settings.ts';

const require = createRequire(import.meta.url);
/** Noto Sans SC covers Latin and Simplified Chinese; pdfkit embeds only the glyphs used (decision 0030). */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: fs.readFileSync(require.resolve(FONT_FILES.regular)),
    bold: fs.readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fonts;
}

const WORDS = {
  en: {
    title: 'Quotation',
    number: 'Quote no.',
    date: 'Date',
    validUntil: 'Valid until',
    to: 'Prepared for',
    item: 'Item',
    qty: 'Qty',
    unitPrice: 'Unit price',
    discount: 'Disc.',
    tax: 'Tax',
    amount: 'Amount',
    gross: 'Gross',
    lineDiscounts: 'Line discounts',
    subtotal: 'Subtotal',
    quoteDiscount: 'Quote discount',
    taxTotal: 'Tax',
    total: 'Total',
    notes: 'Notes',
    currencyNote: 'All amounts in',
  },
  'zh-CN': {
    title: '报价单',
    number: '报价单号',
    date: '日期',
    validUntil: '有效期至',
    to: '客户',
    item: '产品',
    qty: '数量',
    unitPrice: '单价',
    discount: '折扣',
    tax: '税率',
    amount: '金额',
    gross: '原价合计',
    lineDiscounts: '行折扣',
    subtotal: '小计',
    quoteDiscount: '整单折扣',
    taxTotal: '税额',
    total: '总计',
    notes: '备注',
    currencyNote: '币种',
  },
} as const;

/** The contact's language when it is Chinese or English; else the workspace's default. */
export function pdfLocale(contactLanguage: string | null, workspaceDefault: string): Locale {
  const lang = (contactLanguage ?? '').trim().toLowerCase();
  if (lang.startsWith('zh') || lang === 'chinese' || lang === '中文') return 'zh-CN';
  if (lang.startsWith('en') || lang === 'english') return 'en';
  return workspaceDefault === 'zh-CN' ? 'zh-CN' : 'en';
}

function money(minor: number, currency: string): string {
  const [whole, frac] = formatMoney({ amountMinor: BigInt(minor), currency }).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function pct(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0$/, '')} %`;
}

export interface QuotePdf {
  bytes: Buffer;
  fileName: string;
  locale: Locale;
}

/** Renders a quote the actor can see as a PDF in the contact's language (or `locale` if given). */
export async function renderQuotePdf(
  ctx: AppContext,
  actor: Actor,
  id: string,
  locale?: Locale,
): Promise<QuotePdf> {
  const quote = await getQuote(ctx, actor, id);
  const ws = await repo.findWorkspaceSettings(ctx.db, actor.workspaceId);
  if (!ws) throw new NotFoundError('Workspace', actor.workspaceId);
  const contact = quote.contactId
    ? await repo.findContactLanguage(ctx.db, actor.workspaceId, quote.contactId)
    : undefined;
  const lang = locale ?? pdfLocale(contact?.language ?? null, ws.default_locale);
  const logo = await readLogo(ctx, actor.workspaceId);
  const bytes = await drawQuote(quote, {
    locale: lang,
    workspaceName: ws.name,
    logo: logo?.bytes,
    contact,
    issuedOn: (quote.sentAt ?? quote.updatedAt).slice(0, 10),
  });
  return { bytes, fileName: `${quote.label}.pdf`, locale: lang };
}

interface Branding {
  locale: Locale;
  workspaceName: string;
  logo: Buffer | undefined;
  contact: { name: string; company: string | null; email: string | null } | undefined;
  issuedOn: string;
}

function drawQuote(q: QuoteDto, b: Branding): Promise<Buffer> {
  const w = WORDS[b.locale];
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `${w.title} ${q.label}`, Author: b.workspaceName, Creator: 'Tandem' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', f.regular);
  doc.registerFont('bold', f.bold);
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const width = right - left;

  // Letterhead: logo left, workspace name right.
  let top = doc.page.margins.top;
  if (b.logo) {
    try {
      doc.image(b.logo, left, top, { fit: [140, 56] });
    } catch {
      // A damaged logo file must not stop the quote going out.
    }
  }
  doc.font('bold').fontSize(16).text(b.workspaceName, left, top, { width, align: 'right' });
  top += 72;
  doc.moveTo(left, top).lineTo(right, top).lineWidth(0.5).strokeColor('#999999').stroke();
  top += 14;
  doc.font('bold').fontSize(22).fillColor('#000000').text(w.title, left, top);
  doc.font('body').fontSize(10);
  const meta: [string, string][] = [
    [w.number, q.label],
    [w.date, b.issuedOn],
    [w.validUntil, q.validUntil],
  ];
  let my = top;
  for (const [k, v] of meta) {
    doc.text(`${k}: ${v}`, left, my, { width, align: 'right' });
    my += 14;
  }
  top = Math.max(doc.y, my) + 16;
  if (b.contact) {
    doc.font('bold').text(w.to, left, top);
    doc.font('body');
    for (const line of [b.contact.name, b.contact.company, b.contact.email].filter(Boolean) as string[]) {
      doc.text(line);
    }
    top = doc.y + 12;
  }
  if (q.title) {
    doc.font('bold').fontSize(12).text(q.title, left, top, { width });
    top = doc.y + 8;
  }

  // Lines table.
  const cols = [
    { key: 'item', x: left, w: width * 0.38, align: 'left' as const },
    { key: 'qty', x: left + width * 0.38, w: width * 0.12, align: 'right' as const },
    { key: 'unitPrice', x: left + width * 0.5, w: width * 0.15, align: 'right' as const },
    { key: 'discount', x: left + width * 0.65, w: width * 0.09, align: 'right' as const },
    { key: 'tax', x: left + width * 0.74, w: width * 0.08, align: 'right' as const },
    { key: 'amount', x: left + width * 0.82, w: width * 0.18, align: 'right' as const },
  ];
  doc.font('bold').fontSize(9);
  for (const c of cols) doc.text(w[c.key as keyof typeof w], c.x, top, { width: c.w - 4, align: c.align });
  top = doc.y + 4;
  doc.moveTo(left, top).lineTo(right, top).stroke();
  top += 4;
  doc.font('body').fontSize(9);
  for (const l of q.lines) {
    if (top > doc.page.height - 160) {
      doc.addPage();
      top = doc.page.margins.top;
    }
    const item = [l.sku ? `${l.sku}  ${l.name}` : l.name, l.description].filter(Boolean).join('\n');
    const cells = [
      item,
      `${l.quantity} ${l.unit}`,
      money(l.unitPriceMinor, q.currency),
      l.discountPercent ? pct(l.discountPercent) : '',
      pct(l.taxRatePercent),
      money(l.netMinor, q.currency),
    ];
    let rowBottom = top;
    cells.forEach((text, i) => {
      const c = cols[i]!;
      doc.text(text, c.x, top, { width: c.w - 4, align: c.align });
      rowBottom = Math.max(rowBottom, doc.y);
    });
    top = rowBottom + 6;
  }
  doc.moveTo(left, top).lineTo(right, top).stroke();
  top += 8;

  // Totals.
  const t = q.totals;
  const rows: [string, string, boolean][] = [
    [w.gross, money(t.grossMinor, q.currency), false],
    ...(t.lineDiscountMinor
      ? [[w.lineDiscounts, `-${money(t.lineDiscountMinor, q.currency)}`, false] as [string, string, boolean]]
      : []),
    [w.subtotal, money(t.subtotalMinor, q.currency), false],
    ...(t.quoteDiscountMinor
      ? [
          [
            `${w.quoteDiscount} (${pct(q.discountPercent)})`,
            `-${money(t.quoteDiscountMinor, q.currency)}`,
            false,
          ] as [string, string, boolean],
        ]
      : []),
    [w.taxTotal, money(t.taxMinor, q.currency), false],
    [`${w.total} (${q.currency})`, money(t.totalMinor, q.currency), true],
  ];
  for (const [label, value, strong] of rows) {
    doc.font(strong ? 'bold' : 'body').fontSize(strong ? 12 : 10);
    doc.text(label, left + width * 0.5, top, { width: width * 0.3, align: 'right' });
    doc.text(value, left + width * 0.8, top, { width: width * 0.2, align: 'right' });
    top = doc.y + 4;
  }
  top += 10;
  doc.font('body').fontSize(9).fillColor('#555555').text(`${w.currencyNote} ${q.currency}`, left, top);
  if (q.notes) {
    doc.moveDown();
    doc.font('bold').fillColor('#000000').text(w.notes);
    doc.font('body').text(q.notes, { width });
  }
  doc.end();
  return done;
}
