import { csvColumns, type RecordByKind, type RecordKind } from '@hiresignal/shared';

/** RFC 4180 line break. */
export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;
const DEFAULT_CHUNK_BYTES = 1 << 20;

const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const ZERO = 0x30;

const layouts = new Map<RecordKind, { fields: string[]; header: string }>();

function layout(kind: RecordKind): { fields: string[]; header: string } {
  let cached = layouts.get(kind);
  if (!cached) {
    const columns = csvColumns(kind);
    cached = {
      fields: columns.map((c) => c.field),
      header: columns.map((c) => csvField(c.column)).join(','),
    };
    layouts.set(kind, cached);
  }
  return cached;
}

/** One CSV cell: RFC 4180 quoting when the text holds a comma, a quote or a line break; empty for undefined/null. */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

function csvRow(fields: readonly string[], record: object): string {
  const values = record as Record<string, unknown>;
  let line = '';
  for (let f = 0; f < fields.length; f++) {
    if (f > 0) line += ',';
    line += csvField(values[fields[f]]);
  }
  return line;
}

/**
 * The lines of a kind's CSV, header first, each ending in CRLF: canonical snake_case columns in `csvColumns(kind)`
 * order. Lazy, so a caller can stream a file of any size line by line.
 */
export function* csvLines<K extends RecordKind>(
  kind: K,
  records: Iterable<RecordByKind[K]>,
): Generator<string> {
  const { fields, header } = layout(kind);
  yield header + CSV_LINE_END;
  for (const record of records) yield csvRow(fields, record) + CSV_LINE_END;
}

/**
 * Encodes CSV straight into UTF-8 buffers. Building a JavaScript string per row made garbage collection the dominant
 * cost at a million rows, worse still beside a large live heap; bytes written in place leave almost no garbage.
 */
class CsvEncoder {
  private buffer: Buffer;
  private pos = 0;

  constructor(private readonly chunkBytes: number) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  get full(): boolean {
    return this.pos >= this.chunkBytes;
  }

  /** Hands over the bytes written so far and starts a fresh buffer (the caller may keep the old one). */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.pos);
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.pos = 0;
    return chunk;
  }

  /** Writes text as is, no quoting. */
  raw(value: string): void {
    this.reserve(3 * value.length);
    this.pos += this.buffer.write(value, this.pos, 'utf8');
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.pos++] = value;
  }

  text(value: string): void {
    // Quoting can double a character's bytes and UTF-8 needs up to 3 bytes per UTF-16 unit.
    this.reserve(3 * value.length + 2);
    const buffer = this.buffer;
    const start = this.pos;
    let pos = start;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80 || c === COMMA || c === DOUBLE_QUOTE || c === CR || c === LF) {
        this.pos = start + buffer.write(csvField(value), start, 'utf8');
        return;
      }
      buffer[pos++] = c;
    }
    this.pos = pos;
  }

  value(value: unknown): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'string') {
      this.text(value);
    } else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      this.unsigned(value);
    } else {
      this.text(String(value));
    }
  }

  private unsigned(value: number): void {
    this.reserve(16);
    if (value === 0) {
      this.buffer[this.pos++] = ZERO;
      return;
    }
    let digits = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
    let pos = this.pos + digits;
    this.pos = pos;
    for (let v = value; v > 0; v = Math.floor(v / 10)) this.buffer[--pos] = ZERO + (v % 10);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

/**
 * The same bytes as `csvLines` (UTF-8), in chunks of about `chunkBytes`, split only between rows: the fast way to
 * stream a multi-million-row kind to a file or socket. Every chunk is fresh, so a consumer may keep them.
 */
export function* csvChunks<K extends RecordKind>(
  kind: K,
  records: Iterable<RecordByKind[K]>,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Generator<Buffer> {
  const { fields, header } = layout(kind);
  const encoder = new CsvEncoder(Math.max(1, chunkBytes));
  encoder.raw(header + CSV_LINE_END);
  const last = fields.length - 1;
  for (const record of records) {
    const values = record as Record<string, unknown>;
    for (let f = 0; f < last; f++) {
      encoder.value(values[fields[f]]);
      encoder.byte(COMMA);
    }
    encoder.value(values[fields[last]]);
    encoder.byte(CR);
    encoder.byte(LF);
    if (encoder.full) yield encoder.take();
  }
  const rest = encoder.take();
  if (rest.length > 0) yield rest;
}

/** The whole CSV of a kind as one string (header row, CRLF line ends). For very large kinds prefer `csvChunks`. */
export function toCsv<K extends RecordKind>(kind: K, records: Iterable<RecordByKind[K]>): string {
  const parts: string[] = [];
  for (const chunk of csvChunks(kind, records)) parts.push(chunk.toString('utf8'));
  return parts.join('');
}
