import { BadRequestException } from '@nestjs/common';
import { assertJsonLimits } from './json-limits';

describe('assertJsonLimits', () => {
  const limits = { maxDepth: 5, maxStringChars: 8 };

  it('accepts a body within the limits', () => {
    expect(() => assertJsonLimits({ records: [{ a: 'short', b: [1, 2] }] }, limits)).not.toThrow();
  });

  it('refuses a body nested 100,000 deep without recursing (no stack overflow)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => assertJsonLimits(deep, limits)).toThrow(BadRequestException);
  });

  it('names where the body is too deep or too long', () => {
    try {
      assertJsonLimits({ records: [{ jobTitle: 'x'.repeat(9) }] }, limits);
      throw new Error('not refused');
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({
        statusCode: 400,
        errors: [{ field: 'records.0.jobTitle', message: 'is longer than 8 characters' }],
      });
    }
  });
});
