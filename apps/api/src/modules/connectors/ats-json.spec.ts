import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AtsVendor } from '@hiresignal/shared';
import type { RowResult } from '../records/row-checks';
import { ImportFatalError } from '../records/import-errors';
import { testRubric } from '../records/rubric.fixture';
import type { Json } from './ats-common';
import { AtsImportService } from './ats-import.service';
import { AtsJsonReader } from './ats-json';
import { AtsResolver, type AtsMappingService } from './ats-mapping.service';
import { convertGreenhouse } from './greenhouse';
import { convertLever } from './lever';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/ats');

const rubric = testRubric();

const newResolver = () => new AtsResolver(new Map(), ['system_design'], rubric.criteria);

/** The service with its one collaborator stubbed: the mapping (database-backed) is not what is tested here. */
const service = new AtsImportService({
  resolver: async () => newResolver(),
  remember: async () => undefined,
} as unknown as AtsMappingService);

async function* pieces(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

async function readAll(vendor: string, chunks: AsyncIterable<Buffer>) {
  const reader = new AtsJsonReader(vendor);
  const objects: Json[] = [];
  for await (const o of reader.objects(chunks)) objects.push(o);
  return { objects, envelope: reader.envelope };
}

async function convert(vendor: AtsVendor, chunks: AsyncIterable<Buffer>): Promise<RowResult[]> {
  const results: RowResult[] = [];
  for await (const r of await service.convert(vendor, 'o', chunks, [rubric])) results.push(r);
  return results;
}

/** The conversion of the whole file parsed with JSON.parse, as before streaming: the oracle. */
function convertParsed(vendor: AtsVendor, text: string): RowResult[] {
  const parsed = JSON.parse(text) as unknown;
  const ctx = { resolver: newResolver(), rubrics: [rubric] };
  if (Array.isArray(parsed)) {
    return vendor === 'greenhouse'
      ? [...convertGreenhouse(parsed as Json[], ctx)]
      : [...convertLever(parsed as Json[], null, ctx)];
  }
  const envelope = parsed as Json;
  return vendor === 'greenhouse'
    ? [...convertGreenhouse(envelope['data'] as Json[], ctx)]
    : [...convertLever(envelope['data'] as Json[], envelope, ctx)];
}

async function failure(vendor: string, text: string | Buffer, cuts: number[] = []): Promise<string> {
  try {
    await readAll(vendor, pieces(Buffer.from(text), cuts));
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFatalError);
    return (error as Error).message;
  }
  throw new Error('expected the export to be refused');
}

const fixtures = (['greenhouse', 'lever'] as const).flatMap((vendor) =>
  readdirSync(join(FIXTURES, vendor))
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ vendor, file, bytes: readFileSync(join(FIXTURES, vendor, file)) })),
);

describe('AtsJsonReader: the export parsed as it streams', () => {
  it.each(fixtures.map((f) => [`${f.vendor}/${f.file}`, f] as const))(
    '%s: the same objects and envelope at every split into two chunks, in byte-sized chunks and in random chunks',
    async (_name, { vendor, bytes }) => {
      const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
      const expected = Array.isArray(parsed)
        ? { objects: parsed, envelope: null }
        : {
            objects: (parsed as Json)['data'],
            envelope: Object.fromEntries(Object.entries(parsed as Json).filter(([k]) => k !== 'data')),
          };
      expect((expected.objects as unknown[]).length).toBeGreaterThan(0);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(await readAll(vendor, pieces(bytes, [cut]))).toEqual(expected);
      }
      const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(await readAll(vendor, pieces(bytes, everyByte))).toEqual(expected);
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let round = 0; round < 50; round++) {
        const cuts = [...new Set(Array.from({ length: 12 }, () => Math.floor(random() * bytes.length)))];
        expect(
          await readAll(
            vendor,
            pieces(
              bytes,
              cuts.sort((a, b) => a - b),
            ),
          ),
        ).toEqual(expected);
      }
    },
  );

  it.each(fixtures.map((f) => [`${f.vendor}/${f.file}`, f] as const))(
    '%s: converted chunk by chunk, the same records as the whole file parsed at once',
    async (_name, { vendor, bytes }) => {
      const expected = convertParsed(vendor, bytes.toString('utf8'));
      expect(expected.length).toBeGreaterThan(0);
      expect(await convert(vendor, pieces(bytes, []))).toEqual(expected);
      for (let cut = 1; cut < bytes.length; cut += 7) {
        expect(await convert(vendor, pieces(bytes, [cut, Math.min(bytes.length, cut + 3)]))).toEqual(
          expected,
        );
      }
    },
  );

  it('yields each object as soon as it is complete, before the next chunk is read', async () => {
    const read: string[] = [];
    async function* chunks() {
      read.push('first');
      yield Buffer.from('[{"id": 1}, {"id"');
      read.push('second');
      yield Buffer.from(': 2}]');
    }
    const seen: string[] = [];
    for await (const o of new AtsJsonReader('greenhouse').objects(chunks())) {
      seen.push(`object ${String(o['id'])} after ${read.join(',')}`);
    }
    expect(seen).toEqual(['object 1 after first', 'object 2 after first,second']);
  });

  it('accepts a byte order mark, whitespace, non-objects (skipped) and an object holding the array', async () => {
    expect(
      await readAll('x', pieces(Buffer.from('\uFEFF [ {"id":1}, 2, null, {"id":"é"} ]\n'), [1, 2])),
    ).toEqual({
      objects: [{ id: 1 }, { id: 'é' }],
      envelope: null,
    });
    expect(
      await readAll(
        'x',
        pieces(Buffer.from('{"hasNext":false,"scorecards":[{"id":2}],"next":{"a":[1]}}'), []),
      ),
    ).toEqual({ objects: [{ id: 2 }], envelope: { hasNext: false, next: { a: [1] } } });
    // data is the list even when another array precedes it
    expect(
      await readAll('x', pieces(Buffer.from('{"archiveReasons":[{"id":"r"}],"data":[{"id":3}]}'), [])),
    ).toEqual({ objects: [{ id: 3 }], envelope: { archiveReasons: [{ id: 'r' }] } });
    expect(await readAll('x', pieces(Buffer.from('{"data":[]}'), []))).toEqual({ objects: [], envelope: {} });
  });

  it('takes archiveReasons for the list when it is the only array, as before', async () => {
    expect(
      await readAll('x', pieces(Buffer.from('{"archiveReasons":[{"id":"r"}, {"id":"s"}]}'), [])),
    ).toEqual({
      objects: [{ id: 'r' }, { id: 's' }],
      envelope: { archiveReasons: [{ id: 'r' }, { id: 's' }] },
    });
  });

  it('refuses JSON that is not an export of objects', async () => {
    const shape =
      'the greenhouse export must be a JSON array of objects, or an object whose property holds that array';
    expect(await failure('greenhouse', '{"id": 1}')).toBe(shape);
    expect(await failure('greenhouse', '"abc"')).toBe(shape);
    expect(await failure('greenhouse', '42')).toBe(shape);
    const two = '{"jobs": [{"id": 1}],\n "data": [{"id": 2}]}';
    expect(await failure('lever', two)).toBe(
      `the lever export holds two arrays of objects ("jobs" and "data", at line 2 (byte offset ${two.indexOf('[', two.indexOf('"data"'))})): send one list per file`,
    );
  });

  it('says where the JSON is broken: line and byte offset', async () => {
    const text = '[\n  {"id": 1},\n  {"id": 2,,}\n]\n';
    const at = text.indexOf(',,') + 1;
    for (const cuts of [[], [at], [at + 1], [3, 20]]) {
      expect(await failure('greenhouse', text, cuts)).toMatch(
        new RegExp(`^the greenhouse export is not valid JSON at line 3 \\(byte offset ${at}\\): `),
      );
    }
    // A bad character inside a token: the tokenizer's own offset; a multi-byte character before it counts 2 bytes.
    const bad = '[{"name": "Zoë"},\n {"x": tru}]';
    expect(await failure('greenhouse', bad, [5])).toMatch(
      new RegExp(
        `^the greenhouse export is not valid JSON at line 2 \\(byte offset ${bad.indexOf('tru}') + 1 + 3}\\)`,
      ),
    );
    const cut = '[{"id": 1},\n{"id": 2';
    expect(await failure('greenhouse', cut)).toBe(
      `the greenhouse export is not valid JSON at line 2 (byte offset ${cut.length}): the file ends before the JSON does (cut off?)`,
    );
    expect(await failure('greenhouse', '[{"id": 1}]\n[')).toBe(
      'the greenhouse export is not valid JSON at line 2 (byte offset 12): unexpected data after the end of the JSON value',
    );
    expect(await failure('lever', '{"data" [1]}')).toBe(
      'the lever export is not valid JSON at line 1 (byte offset 8): unexpected "["',
    );
    expect(await failure('lever', '')).toMatch(
      /^the lever export is not valid JSON at line 1 \(byte offset 0\)/,
    );
  });
});

describe('Lever envelope properties after the list', () => {
  it('holds the forms that need opportunityId until it is read, then converts them as if it came first', async () => {
    const file = JSON.parse(readFileSync(join(FIXTURES, 'lever/feedback.json'), 'utf8')) as Json;
    const { opportunityId, ...rest } = file;
    const after = Buffer.from(JSON.stringify({ ...rest, opportunityId }));
    expect(after.toString().indexOf('opportunityId')).toBeGreaterThan(after.toString().indexOf('data'));
    const expected = convertParsed('lever', JSON.stringify(file));
    const records = expected.flatMap((r) => (r.staged ? [r.staged.record] : []));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => (r as Record<string, unknown>)['applicationId'] === opportunityId)).toBe(
      true,
    );
    // Cut before opportunityId: the forms are read (and would be converted) before it is.
    expect(await convert('lever', pieces(after, [after.indexOf('"opportunityId"')]))).toEqual(expected);
  });

  it('decides hires by archiveReasons that follow the list', async () => {
    const opportunity = {
      id: 'o1',
      contact: 'c1',
      origin: 'referred',
      createdAt: 1704880800000,
      archived: { reason: 'r-1', archivedAt: 1709294400000 },
      applications: [{ id: 'a', posting: 'p1' }],
    };
    const reasons = [{ id: 'r-1', text: 'Signed', type: 'hired' }];
    const file = Buffer.from(JSON.stringify({ data: [opportunity], archiveReasons: reasons }));
    const results = await convert('lever', pieces(file, [file.indexOf('"archiveReasons"')]));
    expect(results.map((r) => r.staged?.record)).toEqual([
      expect.objectContaining({ applicationId: 'o1', status: 'hired', hiredAt: '2024-03-01T12:00:00.000Z' }),
    ]);
    const without = await convert('lever', pieces(Buffer.from(JSON.stringify({ data: [opportunity] })), []));
    expect(without.map((r) => r.staged?.record)).toEqual([
      expect.objectContaining({ applicationId: 'o1', status: 'rejected', rejectionReason: 'r-1' }),
    ]);
  });
});
