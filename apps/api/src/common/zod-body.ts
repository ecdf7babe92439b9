import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { assertJsonLimits } from './json-limits';

/** Parses a request body with a shared schema; a 400 names every bad field (and a body too deep or long). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  assertJsonLimits(body);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'The request body is invalid',
    errors: parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(body)',
      message: issue.message,
    })),
  });
}
