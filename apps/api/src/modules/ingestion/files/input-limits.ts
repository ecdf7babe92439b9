import { isUtf8 } from 'node:buffer';
import { ImportFatalError } from '../../records/import-errors';

/*
 * Byte-level guards on an uploaded file, applied as its chunks stream from import_chunks, before a parser sees them:
 * they end a hostile file with a file error at its byte offset and line instead of an allocation.
 */

/** Passes the chunks through, refusing invalid UTF-8 (never replaced with U+FFFD) at its byte offset and line. */
export async function* utf8Checked(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let offset = 0;
  let lines = 1;
  for await (const chunk of chunks) {
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    const body = data.subarray(0, data.length - tail);
    if (!isUtf8(body)) {
      const at = firstInvalidUtf8(body);
      throw invalidUtf8(offset + at, lines + countNewlines(body, at));
    }
    carry = tail > 0 ? Buffer.from(data.subarray(data.length - tail)) : null;
    offset += body.length;
    lines += countNewlines(body, body.length);
    if (body.length > 0) yield body;
  }
  if (carry) throw invalidUtf8(offset, lines);
}

function invalidUtf8(offset: number, line: number): ImportFatalError {
  return new ImportFatalError(
    `the file is not valid UTF-8: an invalid byte sequence at byte offset ${offset} (line ${line}); save it as UTF-8 and upload it again`,
    [
      {
        row: 0,
        line,
        column: null,
        field: '(file)',
        value: null,
        message: `invalid UTF-8 at byte offset ${offset}`,
      },
    ],
  );
}

/** Bytes at the end of `b` that begin a multi-byte sequence the next chunk completes. */
function incompleteTail(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back];
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** The offset of the first byte that does not start a valid UTF-8 sequence (as Buffer's isUtf8 judges it). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1];
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return i;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return i;
    i += n + 1;
  }
  return b.length;
}

export function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

export interface JsonLimits {
  maxDepth: number;
  maxStringChars: number;
}

/**
 * Passes a JSON file's chunks through while tracking, outside the parser, how deep its containers nest and how long
 * its strings run (in bytes, an upper bound of characters): beyond either limit the file fails at that byte, before
 * the streaming parser would buffer the string or its stack.
 */
export async function* jsonLimited(
  chunks: AsyncIterable<Buffer>,
  limits: JsonLimits,
): AsyncGenerator<Buffer> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringBytes = 0;
  let offset = 0;
  let lines = 1;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        if (++stringBytes > limits.maxStringChars) {
          throw jsonLimit(
            `a string longer than ${limits.maxStringChars} characters (JSON_MAX_STRING_CHARS)`,
            offset + i,
            lines + countNewlines(chunk, i),
          );
        }
      } else if (c === 0x22) {
        inString = true;
        stringBytes = 0;
      } else if (c === 0x7b || c === 0x5b) {
        if (++depth > limits.maxDepth) {
          throw jsonLimit(
            `values nested deeper than ${limits.maxDepth} levels (JSON_MAX_DEPTH)`,
            offset + i,
            lines + countNewlines(chunk, i),
          );
        }
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
      }
    }
    offset += chunk.length;
    lines += countNewlines(chunk, chunk.length);
    yield chunk;
  }
}

function jsonLimit(what: string, offset: number, line: number): ImportFatalError {
  const message = `the file has ${what} at line ${line} (byte offset ${offset})`;
  return new ImportFatalError(message, [
    { row: 0, line, column: null, field: '(file)', value: null, message },
  ]);
}
