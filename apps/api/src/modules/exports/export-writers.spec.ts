import { jest } from '@jest/globals';
import {
  CHUNK_BYTES,
  csvWriter,
  xlsxWriter,
  type ExportFileWriter,
  type WriterOptions,
} from './export-writers';

/*
 * The same rows give the same bytes whenever they are written: the XLSX container (zip entry dates, document dates)
 * must not carry the time of writing. Only Date is faked (to two moments a day apart); timers, streams and
 * setImmediate run for real.
 */
async function write(
  make: (o: WriterOptions) => ExportFileWriter | Promise<ExportFileWriter>,
  at: string,
): Promise<Buffer> {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: new Date(at),
  });
  try {
    const parts: Buffer[] = [];
    const writer = await make({
      columns: [
        { key: 'id', type: 'text' },
        { key: 'score', type: 'number' },
        { key: 'applied_at', type: 'date' },
      ],
      sheetName: 'Cohort',
      manifest: [['report', 'cohort']],
      sink: async (chunk) => {
        parts.push(chunk);
      },
    });
    for (let i = 0; i < 1200; i++) {
      await writer.row([`app-${i}`, i / 7, new Date(Date.UTC(2024, 0, 1 + (i % 300)))]);
    }
    const file = await writer.finish();
    const bytes = Buffer.concat(parts);
    expect(bytes.length).toBe(file.bytes);
    return bytes;
  } finally {
    jest.useRealTimers();
  }
}

describe('export files are the same bytes whenever they are written', () => {
  it('XLSX: two files written a day apart are identical', async () => {
    const a = await write(xlsxWriter, '2026-12-07T10:00:00Z');
    const b = await write(xlsxWriter, '2026-12-08T10:00:03Z');
    expect(a.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(b.equals(a)).toBe(true);
  });

  it('CSV: two files written a day apart are identical', async () => {
    const a = await write(csvWriter, '2026-12-07T10:00:00Z');
    const b = await write(csvWriter, '2026-12-08T10:00:03Z');
    expect(b.equals(a)).toBe(true);
  });
});

describe('export files are written to the database in bounded pieces', () => {
  const columns: WriterOptions['columns'] = [
    { key: 'id', type: 'text' },
    { key: 'note', type: 'text' },
    { key: 'score', type: 'number' },
  ];
  const row = (i: number) => [`app-${i}`, `note ${i} `.repeat(8), i / 3];

  it('CSV: every chunk is CHUNK_BYTES but the last, and lines given as text join the rows', async () => {
    const chunks: Buffer[] = [];
    const writer = csvWriter({
      columns,
      sheetName: 'x',
      manifest: [],
      sink: async (c) => void chunks.push(c),
    });
    for (let i = 0; i < 3000; i++) await writer.row(row(i));
    await writer.lines(`x,"a ""b""",1\r\ny,,2\r\n`);
    const file = await writer.finish();
    expect(chunks.slice(0, -1).every((c) => c.length === CHUNK_BYTES)).toBe(true);
    expect(chunks.at(-1)?.length).toBeGreaterThan(0);
    expect(chunks.at(-1)?.length).toBeLessThanOrEqual(CHUNK_BYTES);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(Buffer.byteLength(text)).toBe(file.bytes);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,note,score');
    expect(lines[1]).toBe(`app-0,"${'note 0 '.repeat(8)}",0`);
    expect(lines.slice(-3)).toEqual(['x,"a ""b""",1', 'y,,2', '']);
    expect(lines.length).toBe(1 + 3000 + 2 + 1);
  });

  it('XLSX: while the database takes no chunk, rows wait instead of piling up in memory', async () => {
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let stored = 0;
    const writer = await xlsxWriter({
      columns,
      sheetName: 'Cohort',
      manifest: [['report', 'cohort']],
      sink: async (c) => {
        await stalled;
        stored += c.length;
      },
    });
    // Each row is about 200 bytes of sheet XML; 100,000 rows would be 20 MB.
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < 100_000; i++) {
        await writer.row(row(i));
        written = i + 1;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Held back: the zip's input (ZIP_BACKLOG_BYTES) and the buffers between it and the sink, not the whole file.
    expect(stored).toBe(0);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(100_000);
    release();
    await writing;
    const file = await writer.finish();
    expect(stored).toBe(file.bytes);
    expect(written).toBe(100_000);
  });
});
