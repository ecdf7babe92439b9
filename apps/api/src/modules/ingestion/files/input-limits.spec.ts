import fc from 'fast-check';
import { firstInvalidUtf8, jsonLimited, utf8Checked } from './input-limits';

async function drain(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

async function* pieces(data: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    yield data.subarray(at, cut);
    at = cut;
  }
  yield data.subarray(at);
}

describe('utf8Checked', () => {
  it('passes valid UTF-8 through unchanged however it is cut, multi-byte characters included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (text, cuts) => {
          const data = Buffer.from(text, 'utf8');
          const out = await drain(
            utf8Checked(
              pieces(
                data,
                cuts.map((c) => c % (data.length + 1)),
              ),
            ),
          );
          expect(out.equals(data)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses invalid bytes with their byte offset and line, wherever the chunks are cut', async () => {
    const data = Buffer.concat([Buffer.from('a,b\né,c\nx'), Buffer.from([0xff]), Buffer.from('y\n')]);
    for (let cut = 0; cut <= data.length; cut++) {
      await expect(drain(utf8Checked(pieces(data, [cut])))).rejects.toThrow(
        'invalid byte sequence at byte offset 10 (line 3)',
      );
    }
  });

  it('refuses a multi-byte character cut off at the end of the file', async () => {
    const data = Buffer.from([0x61, 0xe2, 0x82]);
    await expect(drain(utf8Checked(pieces(data, [2])))).rejects.toThrow('byte offset 1 (line 1)');
  });

  it('finds the first invalid byte as Buffer.isUtf8 judges (overlong forms and surrogates)', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from('ok €', 'utf8'))).toBe(6);
  });
});

describe('jsonLimited', () => {
  const limits = { maxDepth: 4, maxStringChars: 10 };

  it('passes a document within the limits (brackets inside strings do not count)', async () => {
    const doc = Buffer.from('[{"a": [1, "[[[[[["]}]');
    expect((await drain(jsonLimited(pieces(doc, [3]), limits))).equals(doc)).toBe(true);
  });

  it('refuses nesting deeper than the limit at its byte', async () => {
    await expect(drain(jsonLimited(pieces(Buffer.from('[[[[[1]]]]]'), [2]), limits))).rejects.toThrow(
      'nested deeper than 4 levels (JSON_MAX_DEPTH) at line 1 (byte offset 4)',
    );
  });

  it('refuses a string longer than the limit, escaped quotes included', async () => {
    await expect(
      drain(jsonLimited(pieces(Buffer.from('["ok", "\\"0123456789"]'), [9]), limits)),
    ).rejects.toThrow('a string longer than 10 characters');
  });
});
