import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { csvRow } from '../../common/csv';

/*
 * The file writers of an export: CSV (RFC 4180, UTF-8, through common/csv.ts, which neutralises formula-like text)
 * and XLSX (exceljs' streaming writer: rows go out as they come, text stays text, numbers are numbers, dates are
 * dates). Both hand their bytes to a sink in pieces of CHUNK_BYTES (the last one shorter), hashing them on the way
 * and waiting while the sink catches up, and both are deterministic: the same rows give the same bytes (the XLSX's
 * zip entry times and document dates are fixed).
 */

export type ExportValue = string | number | Date | null;

export interface ExportColumn {
  key: string;
  type: 'text' | 'number' | 'date';
}

/** Where the bytes go (the export's chunks in the database); called in order, one call at a time. */
export type ChunkSink = (chunk: Buffer) => Promise<void>;

export const CHUNK_BYTES = 256 * 1024;

/** The zip entries' and the workbook's dates: fixed, so a file's bytes depend on its rows only. */
const FIXED_DATE = new Date('2000-01-01T00:00:00.000Z');

/** Cuts the bytes into pieces of CHUNK_BYTES (the last one shorter) for the sink, with the running SHA-256 and size. */
class ChunkBuffer {
  private readonly hash = createHash('sha256');
  private parts: Buffer[] = [];
  private size = 0;
  bytes = 0;

  constructor(private readonly sink: ChunkSink) {}

  async push(data: Buffer): Promise<void> {
    this.hash.update(data);
    this.bytes += data.length;
    this.parts.push(data);
    this.size += data.length;
    while (this.size >= CHUNK_BYTES) {
      const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
      this.parts = all.length > CHUNK_BYTES ? [all.subarray(CHUNK_BYTES)] : [];
      this.size = all.length - CHUNK_BYTES;
      await this.sink(all.subarray(0, CHUNK_BYTES));
    }
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    await this.sink(chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface FileResult {
  bytes: number;
  sha256: string;
}

export interface ExportFileWriter {
  /** Writes one row; await it (it waits while the sink catches up). */
  row(values: readonly ExportValue[]): Promise<void>;
  /** Ends the file and flushes everything to the sink. */
  finish(): Promise<FileResult>;
}

export interface WriterOptions {
  columns: ExportColumn[];
  /** Sheet name of the data (XLSX). */
  sheetName: string;
  /** Key/value lines of the manifest: the XLSX's first sheet (CSV exports carry it beside the file). */
  manifest: [string, string][];
  sink: ChunkSink;
}

export interface CsvFileWriter extends ExportFileWriter {
  /** Writes rows already in CSV form (csvRow's text: cells as csvCell writes them, each line ended by CRLF). */
  lines(text: string): Promise<void>;
}

export function csvWriter(options: WriterOptions): CsvFileWriter {
  const out = new ChunkBuffer(options.sink);
  let started = false;
  const write = async (text: string) => {
    if (!started) {
      started = true;
      await out.push(Buffer.from(csvRow(options.columns.map((c) => c.key)), 'utf8'));
    }
    if (text.length > 0) await out.push(Buffer.from(text, 'utf8'));
  };
  return {
    row: (values) => write(csvRow(values)),
    lines: write,
    async finish() {
      await write('');
      await out.flush();
      return { bytes: out.bytes, sha256: out.digest() };
    },
  };
}

/** A cell's value for exceljs: text stays a string (never a formula), numbers numbers, dates dates. */
function xlsxValue(value: ExportValue): string | number | Date | null {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

type ZipAppend = (source: unknown, data: object) => unknown;
const FIXED = Symbol('fixed zip dates');
type AddStyleModel = (model: object | undefined, cellType?: number) => number;

type WorkbookWriterClass = typeof import('exceljs').stream.xlsx.WorkbookWriter;
let workbookWriterClass: Promise<WorkbookWriterClass> | null = null;

/**
 * exceljs's streaming writer with every zip entry dated FIXED_DATE. exceljs adds its entries without a date, so
 * archiver stamps each with the time of writing (to 2 seconds, DOS time): two files written seconds apart differed.
 * Its constructor already adds two entries (the theme and the package relations, through addThemes and
 * addOfficeRels), so the zip is patched from those methods, which run after the zip exists and before they append.
 *
 * And with each cell's style id remembered by the style's content: exceljs gives every cell a style object of its
 * own, so its cache (by object) never hits and it rendered each cell's style to XML to find its id, the most costly
 * step of a row. The id of a content is the one exceljs gives it the first time (its index of styles, keyed by that
 * XML), so the file is the same.
 *
 * exceljs (about 29 MB resident) is loaded on the first XLSX export, not at every process's start.
 */
function fixedDateWorkbookWriter(): Promise<WorkbookWriterClass> {
  workbookWriterClass ??= import('exceljs').then(({ default: ExcelJS }) => {
    class FixedDateWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
      constructor(options: Partial<import('exceljs').stream.xlsx.WorkbookStreamWriterOptions>) {
        super(options);
        const styles = (this as unknown as { styles: { addStyleModel: AddStyleModel } }).styles;
        const addStyleModel = styles.addStyleModel.bind(styles);
        const ids = new Map<string, number>();
        styles.addStyleModel = (model, cellType) => {
          if (!model) return addStyleModel(model, cellType);
          const key = `${cellType}:${JSON.stringify(model)}`;
          let id = ids.get(key);
          if (id === undefined) {
            id = addStyleModel(model, cellType);
            ids.set(key, id);
          }
          return id;
        };
      }

      private fixZipDates(): void {
        const zip = (this as unknown as { zip: { append: ZipAppend; [FIXED]?: true } }).zip;
        if (zip[FIXED]) return;
        const append = zip.append.bind(zip);
        zip.append = (source, data) => append(source, { ...data, date: FIXED_DATE });
        zip[FIXED] = true;
      }

      override addThemes(): Promise<void> {
        this.fixZipDates();
        return super.addThemes();
      }

      override addOfficeRels(): Promise<void> {
        this.fixZipDates();
        return super.addOfficeRels();
      }
    }
    return FixedDateWorkbookWriter;
  });
  return workbookWriterClass;
}

/** How much of a sheet's XML may wait for the zip (deflate, then the sink) before rows wait. */
export const ZIP_BACKLOG_BYTES = 1024 * 1024;

/** The stream archiver reads a sheet's entry from (a PassThrough of readable-stream 2, with its state fields). */
type ZipInput = NodeJS.EventEmitter & { _writableState: { length: number; needDrain: boolean } };

/**
 * exceljs writes a sheet's XML into a buffer of its own that pushes it, without heeding back-pressure, into the
 * PassThrough archiver reads the entry from (archiver-utils' normalizeInputSource), which buffered all the XML that
 * zlib and the sink had not taken yet: up to 100 MB of a 200,000-row cohort on a loaded machine. Found through the
 * sheet's stream; null (no waiting, as before) should a new exceljs or archiver build it another way.
 */
function sheetZipInput(sheet: object): ZipInput | null {
  const pipe = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    | Partial<ZipInput>
    | undefined;
  const state = pipe?._writableState;
  return pipe && state && typeof state.length === 'number' && typeof state.needDrain === 'boolean'
    ? (pipe as ZipInput)
    : null;
}

export async function xlsxWriter(options: WriterOptions): Promise<ExportFileWriter> {
  const WorkbookWriter = await fixedDateWorkbookWriter();
  const out = new ChunkBuffer(options.sink);
  let failure: Error | null = null;
  // The sink is awaited inside write(), so the zip stream sees back-pressure while the database catches up.
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk).then(
        () => callback(),
        (error: Error) => {
          failure = error;
          callback(error);
        },
      );
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const workbook = new WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'HireSignal';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;

  const manifest = workbook.addWorksheet('Manifest');
  manifest.columns = [
    { header: 'field', key: 'field', width: 24 },
    { header: 'value', key: 'value', width: 80 },
  ];
  for (const [field, value] of options.manifest) manifest.addRow({ field, value }).commit();
  manifest.commit();

  const sheet = workbook.addWorksheet(options.sheetName);
  sheet.columns = options.columns.map((c) => ({
    header: c.key,
    key: c.key,
    width: Math.max(12, Math.min(40, c.key.length + 2)),
    style: c.type === 'date' ? { numFmt: 'yyyy-mm-dd"T"hh:mm:ss"Z"' } : {},
  }));
  let zipInput: ZipInput | null | undefined;
  let rows = 0;
  return {
    async row(values) {
      if (failure) throw failure;
      sheet.addRow(values.map(xlsxValue)).commit();
      // (The sheet's zip entry exists once its first row is written.)
      if (zipInput === undefined) zipInput = sheetZipInput(sheet);
      // Let the zip stream compress into the sink now and then; and wait while more than ZIP_BACKLOG_BYTES of the
      // sheet wait to be compressed, so rows do not pile up in memory when the database or zlib falls behind.
      if (++rows % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (
        zipInput &&
        zipInput._writableState.needDrain &&
        zipInput._writableState.length > ZIP_BACKLOG_BYTES
      ) {
        await once(zipInput, 'drain');
      }
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
      await finished;
      if (failure) throw failure;
      await out.flush();
      return { bytes: out.bytes, sha256: out.digest() };
    },
  };
}
