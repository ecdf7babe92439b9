import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import { ImportFatalError } from '../records/import-errors';
import { isObject, type Json } from './ats-common';

/** Bytes handed to the tokenizer at once: bounds the objects completed (and queued) per step. */
const SLICE_BYTES = 64 * 1024;

/** An array beside the export's objects that is metadata, not the objects, even when it comes first. */
const ENVELOPE_ARRAYS = new Set(['archiveReasons', 'users']);

type ArrayRole = 'items' | 'envelope';

type State =
  | { at: 'start' }
  | { at: 'array'; role: ArrayRole; next: 'first' | 'value' | 'comma' }
  | { at: 'object'; next: 'first' | 'key' | 'colon' | 'value' | 'comma' }
  | { at: 'end' };

/**
 * Reads an ATS export as it streams in, yielding the objects of its array one at a time, so memory holds one object
 * and the parser's state whatever the file size. Accepted shapes, as the vendors' list endpoints return them:
 *
 * - a JSON array of objects (Greenhouse Harvest);
 * - an object whose `data` holds the array (Lever's `{"data": [...], "hasNext": false}`), or else whose first array
 *   property does (`{"scorecards": [...]}`). Its other properties form the envelope (Lever's `opportunityId`,
 *   `archiveReasons`, `users`), filled in as they are read; `archiveReasons` and `users` are always envelope, not
 *   the objects, unless one is the only array.
 *
 * Invalid JSON ends the import with an ImportFatalError saying where (line and byte offset).
 */
export class AtsJsonReader {
  /** The envelope's properties read so far; null when the export is a bare array. */
  envelope: Json | null = null;
  /** The whole file has been read: the envelope is final. */
  done = false;

  private state: State = { at: 'start' };
  /** Containers the reader is inside: 'array' or 'object' per level (at most two). */
  private readonly levels: State[] = [];
  private itemsKey: string | null = null;
  private key: string | null = null;
  /** Assembles one value (an object of the export, or an envelope property) from its tokens. */
  private value: TokenParser | null = null;
  private valueTarget: ArrayRole | 'property' = 'items';
  private envelopeArray: unknown[] | null = null;
  private readonly completed: Json[] = [];
  private offset = 0;
  private lines = 1;
  private slice: Uint8Array = new Uint8Array(0);
  private sliceStart = 0;

  constructor(private readonly vendor: string) {}

  async *objects(chunks: AsyncIterable<Buffer>): AsyncGenerator<Json> {
    const tokenizer = new Tokenizer();
    tokenizer.onToken = (t) => this.token(t.token, t.value, t.offset);
    tokenizer.onError = (error) => {
      if (error instanceof ImportFatalError) throw error;
      throw this.invalid(error, /absolute position "(\d+)"/.exec(error.message)?.[1]);
    };
    for await (const chunk of chunks) {
      for (let start = 0; start < chunk.length; start += SLICE_BYTES) {
        this.slice = chunk.subarray(start, start + SLICE_BYTES);
        this.sliceStart = this.offset;
        tokenizer.write(this.slice);
        this.offset += this.slice.length;
        this.lines += countNewlines(this.slice, this.slice.length);
        yield* this.completed.splice(0);
      }
    }
    this.slice = new Uint8Array(0);
    this.sliceStart = this.offset;
    tokenizer.end();
    if (this.state.at !== 'end') {
      throw this.invalid(new Error('the file ends before the JSON does (cut off?)'), this.offset);
    }
    this.done = true;
    if (this.envelope && this.itemsKey === null) {
      // No array but archiveReasons: as before streaming, the first array property is taken for the objects.
      const only = Object.values(this.envelope).find(Array.isArray);
      if (only) {
        yield* only.filter(isObject);
        return;
      }
    }
    if (this.envelope && this.itemsKey === null) throw this.notAnExport();
  }

  private token(type: TokenType, value: unknown, offset: number): void {
    if (this.value) {
      this.feed(type, value, offset);
      return;
    }
    const state = this.state;
    switch (state.at) {
      case 'start':
        if (type === TokenType.LEFT_BRACKET) return this.enter({ at: 'array', role: 'items', next: 'first' });
        if (type === TokenType.LEFT_BRACE) {
          this.envelope = {};
          return this.enter({ at: 'object', next: 'first' });
        }
        if (isValueStart(type)) throw this.notAnExport();
        break;
      case 'array':
        if (type === TokenType.RIGHT_BRACKET && state.next !== 'value') return this.leave();
        if (type === TokenType.COMMA && state.next === 'comma') {
          state.next = 'value';
          return;
        }
        if (isValueStart(type) && state.next !== 'comma') {
          state.next = 'comma';
          this.valueTarget = state.role;
          return this.startValue(type, value, offset);
        }
        break;
      case 'object':
        if (type === TokenType.RIGHT_BRACE && (state.next === 'first' || state.next === 'comma'))
          return this.leave();
        if (type === TokenType.COMMA && state.next === 'comma') {
          state.next = 'key';
          return;
        }
        if (type === TokenType.STRING && (state.next === 'first' || state.next === 'key')) {
          this.key = value as string;
          state.next = 'colon';
          return;
        }
        if (type === TokenType.COLON && state.next === 'colon') {
          state.next = 'value';
          return;
        }
        if (isValueStart(type) && state.next === 'value') {
          state.next = 'comma';
          if (type === TokenType.LEFT_BRACKET) return this.enter(this.arrayFor(this.key as string, offset));
          this.valueTarget = 'property';
          return this.startValue(type, value, offset);
        }
        break;
      case 'end':
        throw this.invalid(new Error('unexpected data after the end of the JSON value'), offset);
    }
    throw this.invalid(new Error(`unexpected ${describe(type, value)}`), offset);
  }

  /** The role of an array property of the top-level object. */
  private arrayFor(key: string, offset: number): State {
    if (key === 'data' || (this.itemsKey === null && !ENVELOPE_ARRAYS.has(key))) {
      if (this.itemsKey !== null) {
        throw new ImportFatalError(
          `the ${this.vendor} export holds two arrays of objects ("${this.itemsKey}" and "${key}", ${this.where(offset)}): send one list per file`,
        );
      }
      this.itemsKey = key;
      return { at: 'array', role: 'items', next: 'first' };
    }
    this.envelopeArray = [];
    return { at: 'array', role: 'envelope', next: 'first' };
  }

  private enter(state: State): void {
    if (this.state.at !== 'start') this.levels.push(this.state);
    this.state = state;
  }

  private leave(): void {
    const closed = this.state;
    this.state = this.levels.pop() ?? { at: 'end' };
    if (closed.at === 'array' && closed.role === 'envelope' && this.envelope) {
      this.envelope[this.key as string] = this.envelopeArray;
      this.envelopeArray = null;
    }
  }

  private startValue(type: TokenType, value: unknown, offset: number): void {
    const parser = new TokenParser({ paths: ['$'] });
    parser.onValue = ({ value: done }) => {
      this.value = null;
      this.take(done);
    };
    this.value = parser;
    this.feed(type, value, offset);
  }

  private feed(type: TokenType, value: unknown, offset: number): void {
    try {
      (this.value as TokenParser).write({ token: type, value: value as never });
    } catch (error) {
      throw this.invalid(error as Error, offset);
    }
  }

  private take(value: unknown): void {
    if (this.valueTarget === 'items') {
      if (isObject(value)) this.completed.push(value);
    } else if (this.valueTarget === 'envelope') {
      this.envelopeArray?.push(value);
    } else if (this.envelope) {
      this.envelope[this.key as string] = value;
    }
  }

  private notAnExport(): ImportFatalError {
    return new ImportFatalError(
      `the ${this.vendor} export must be a JSON array of objects, or an object whose property holds that array`,
    );
  }

  private invalid(error: Error, offset: string | number | undefined): ImportFatalError {
    const at = offset === undefined ? this.offset : Number(offset);
    return new ImportFatalError(
      `the ${this.vendor} export is not valid JSON ${this.where(at)}: ${error.message}`,
    );
  }

  /** "at line L (byte B)"; the line counts newlines before the offset, within the slice being read. */
  private where(offset: number): string {
    const within = Math.max(0, Math.min(offset - this.sliceStart, this.slice.length));
    return `at line ${this.lines + countNewlines(this.slice, within)} (byte offset ${offset})`;
  }
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function isValueStart(type: TokenType): boolean {
  return (
    type === TokenType.LEFT_BRACE ||
    type === TokenType.LEFT_BRACKET ||
    type === TokenType.STRING ||
    type === TokenType.NUMBER ||
    type === TokenType.TRUE ||
    type === TokenType.FALSE ||
    type === TokenType.NULL
  );
}

function describe(type: TokenType, value: unknown): string {
  return type === TokenType.STRING ? `string ${JSON.stringify(value)}` : `"${String(value)}"`;
}
