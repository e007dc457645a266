import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ValidationError } from '../../lib/errors.ts';

/**
 * Reads an import file as a stream of rows, whatever its format and encoding, in constant memory.
 * Every problem is reported with the row (and column) it is on, never as a crash.
 */
export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'utf-16le' | 'gb18030' | 'windows-1252';

export interface FileSniff {
  format: FileFormat;
  encoding: TextEncoding;
  delimiter: string;
  hasHeader: boolean;
  /** The header row (or generated `Column 1…` names when the file has none). */
  columns: string[];
}

export interface Row {
  /** Spreadsheet row number: the header is row 1, so the first data row is 2 (1 without a header). */
  rowNumber: number;
  cells: (string | null)[];
}

/** Cells larger than this are refused with the row number (a 10 MB cell is almost surely an accident). */
export const MAX_CELL_BYTES = 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class ImportFileError extends ValidationError {
  constructor(message: string, field = 'file') {
    super(message, { [field]: message });
  }
}

function readSample(path: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new ImportFileError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = fs.readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function isZip(sample: Buffer): boolean {
  return (
    sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04
  );
}

/** Detects the text encoding: BOMs first, then strict UTF-8, then a statistical guess. */
export function detectEncoding(sample: Buffer): { encoding: TextEncoding; bomBytes: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    return { encoding: 'utf-8', bomBytes: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  // The sample may end inside a multi-byte character: judge all but the last 3 bytes.
  const head = sample.length === SAMPLE_BYTES ? sample.subarray(0, sample.length - 3) : sample;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return { encoding: 'utf-8', bomBytes: 0 };
  } catch {
    // not UTF-8: guess below
  }
  return { encoding: looksLikeGb18030(head) ? 'gb18030' : 'windows-1252', bomBytes: 0 };
}

/**
 * Chinese Excel exports are GBK/GB18030: every byte >= 0x80 is half of a lead/trail pair, and the
 * pairs decode to CJK ideographs. Western Windows-1252 text has lone high bytes between ASCII
 * letters (José, München). Statistical detectors misjudge short samples, this structure does not.
 */
function looksLikeGb18030(bytes: Buffer): boolean {
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const n = bytes[i + 1];
    if (b < 0x81 || b > 0xfe || n === undefined || n < 0x40 || n > 0xfe || n === 0x7f) return false;
    pairs++;
    i++;
  }
  if (!pairs) return false;
  const text = new TextDecoder('gb18030').decode(bytes);
  const nonAscii = [...text].filter((c) => c.charCodeAt(0) >= 0x80);
  const cjk = nonAscii.filter((c) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(c)).length;
  return cjk >= nonAscii.length * 0.8;
}

/** Counts a delimiter outside quotes in one line. */
function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/** The delimiter that splits the first lines most consistently (ties favour the comma). */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20);
  if (lines.length > 1 && text.length >= SAMPLE_BYTES - 4) lines.pop(); // probably cut off
  let best = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** A first row is a header unless it looks like data: an e-mail, a number or a repeated/blank cell. */
export function looksLikeHeader(cells: (string | null)[]): boolean {
  const seen = new Set<string>();
  for (const raw of cells) {
    const c = (raw ?? '').trim();
    if (!c) return false;
    if (EMAIL.test(c) || /^[+-]?\d+([.,]\d+)?$/.test(c) || /^\d{4}-\d{2}-\d{2}/.test(c)) return false;
    const k = c.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return cells.length > 0;
}

function generatedColumns(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Column ${i + 1}`);
}

/** Looks at the start of a file and says how to read it. Throws ImportFileError for unusable files. */
export async function sniffFile(path: string, opts: { hasHeader?: boolean } = {}): Promise<FileSniff> {
  const sample = readSample(path);
  if (sample.length === 0) throw new ImportFileError('The file is empty');
  if (isZip(sample)) {
    const first = await firstRowsXlsx(path, 1);
    if (!first.length) throw new ImportFileError('The spreadsheet has no rows');
    const cells = first[0]!.cells;
    const hasHeader = opts.hasHeader ?? looksLikeHeader(cells);
    return {
      format: 'xlsx',
      encoding: 'utf-8',
      delimiter: ',',
      hasHeader,
      columns: hasHeader
        ? cells.map((c, i) => c?.trim() || `Column ${i + 1}`)
        : generatedColumns(cells.length),
    };
  }
  const probe = sample.subarray(0, Math.min(sample.length, 8192));
  const nul = probe.indexOf(0);
  const { encoding, bomBytes } = detectEncoding(sample);
  if (nul !== -1 && encoding !== 'utf-16le') {
    throw new ImportFileError(
      'This is a binary file, not CSV text (an XLSX file must keep its .xlsx content)',
    );
  }
  const text = new TextDecoder(encoding).decode(sample.subarray(bomBytes));
  const delimiter = detectDelimiter(text);
  let header: (string | null)[] | undefined;
  for await (const row of readCsv(path, { encoding, bomBytes, delimiter, hasHeader: false, columns: [] })) {
    header = row.cells;
    break;
  }
  if (!header) throw new ImportFileError('The file has no rows');
  const hasHeader = opts.hasHeader ?? looksLikeHeader(header);
  return {
    format: 'csv',
    encoding,
    delimiter,
    hasHeader,
    columns: hasHeader
      ? header.map((c, i) => c?.trim() || `Column ${i + 1}`)
      : generatedColumns(header.length),
  };
}

/** Decodes a byte stream in any supported encoding to UTF-8 text, chunk by chunk. */
class DecodeStream extends Transform {
  readonly #decoder: TextDecoder;
  #skip: number;
  constructor(encoding: TextEncoding, skipBytes: number) {
    super({ decodeStrings: true, readableObjectMode: false });
    this.#decoder = new TextDecoder(encoding);
    this.#skip = skipBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let c = chunk;
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, c.length);
      c = c.subarray(n);
      this.#skip -= n;
    }
    cb(null, this.#decoder.decode(c, { stream: true }));
  }
  override _flush(cb: TransformCallback): void {
    cb(null, this.#decoder.decode());
  }
}

function csvErrorMessage(err: CsvError, row: number): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `Row ${row}: a quoted cell is never closed (unbalanced quotes)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `Row ${row}: text after a closing quote (unbalanced quotes)`;
    case 'CSV_MAX_RECORD_SIZE':
      return `Row ${row}: a cell is larger than ${MAX_CELL_BYTES / 1024 / 1024} MB`;
    default:
      return `Row ${row}: ${err.message}`;
  }
}

/** Streams CSV rows; blank lines are skipped, blank cells are null (never the empty string). */
export async function* readCsv(
  path: string,
  s: Pick<FileSniff, 'encoding' | 'delimiter' | 'hasHeader' | 'columns'> & { bomBytes?: number },
  progress?: ReadProgress,
): AsyncGenerator<Row> {
  const bomBytes = s.bomBytes ?? detectEncoding(readSample(path)).bomBytes;
  const source = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  if (progress) source.on('data', (chunk) => (progress.bytesRead += chunk.length));
  const parser = source.pipe(new DecodeStream(s.encoding, bomBytes)).pipe(
    parse({
      delimiter: s.delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_CELL_BYTES,
      relax_quotes: false,
    }),
  );
  let record = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      record++;
      if (s.hasHeader && record === 1) continue;
      yield { rowNumber: record, cells: cells.map((c) => (c.trim() === '' ? null : c)) };
    }
  } catch (err) {
    if (err instanceof CsvError) throw new ImportFileError(csvErrorMessage(err, record + 1));
    throw err;
  }
}

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    // Excel dates are wall-clock values with no zone (exceljs hands them over as UTC): keep them
    // zone-less so the importer reads them in the workspace time zone.
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (typeof o.text === 'string') return o.text;
    if (typeof o.hyperlink === 'string') return o.hyperlink;
    return null;
  }
  const s = String(v);
  return s.trim() === '' ? null : s;
}

/** Streams the first worksheet of an XLSX file. */
export async function* readXlsx(path: string, s: Pick<FileSniff, 'hasHeader'>): AsyncGenerator<Row> {
  // Loaded only for XLSX files: exceljs is a tenth of a CSV import's live heap, and V8 lets the heap
  // grow to a multiple of what is live before collecting, so it showed in the import's peak memory.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // number formats tell dates from numbers
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1); // exceljs rows are 1-based
        if (s.hasHeader && row.number === 1) continue;
        const cells = values.map(cellText);
        if (cells.every((c) => c === null)) continue;
        yield { rowNumber: row.number, cells };
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ImportFileError(
      `The spreadsheet cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

async function firstRowsXlsx(path: string, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of readXlsx(path, { hasHeader: false })) {
    rows.push(row);
    if (rows.length >= n) break;
  }
  return rows;
}

/** Bytes of the file read so far (CSV; read ahead of the rows by at most one chunk). */
export interface ReadProgress {
  bytesRead: number;
}

/** Every data row of a sniffed file, CSV or XLSX. */
export function readRows(path: string, s: FileSniff, progress?: ReadProgress): AsyncGenerator<Row> {
  return s.format === 'xlsx' ? readXlsx(path, s) : readCsv(path, s, progress);
}
