import { BadRequestException } from '@nestjs/common';

/** A parsed JSON body's limits (JSON_MAX_DEPTH, JSON_MAX_STRING_CHARS); the defaults are the configuration's. */
export interface JsonBodyLimits {
  maxDepth: number;
  maxStringChars: number;
}

export const DEFAULT_JSON_LIMITS: JsonBodyLimits = { maxDepth: 32, maxStringChars: 1024 * 1024 };

/**
 * Walks a parsed body without recursion and refuses one nested deeper than maxDepth or holding a string (value or
 * key) longer than maxStringChars, with 400 naming where: checked before validation, so no validator, error body
 * or serializer ever recurses through a hostile document.
 */
export function assertJsonLimits(body: unknown, limits: JsonBodyLimits = DEFAULT_JSON_LIMITS): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (typeof value === 'string') {
      if (value.length > limits.maxStringChars)
        refuse(path, `is longer than ${limits.maxStringChars} characters`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) refuse(path, `is nested deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], depth: depth + 1, path: join(path, String(i)) });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.length > limits.maxStringChars)
        refuse(path, `has a key longer than ${limits.maxStringChars} characters`);
      stack.push({
        value: child,
        depth: depth + 1,
        path: join(path, key.length > 64 ? `${key.slice(0, 64)}…` : key),
      });
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function refuse(path: string, message: string): never {
  const field = path === '' ? '(body)' : path.length > 300 ? `${path.slice(0, 300)}…` : path;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `The JSON body is refused: ${field} ${message}`,
    errors: [{ field, message }],
  });
}
