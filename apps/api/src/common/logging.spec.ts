import type { Request } from 'express';
import { methodLabel, pinoLevelOf, requestIdFrom, routeLabel } from './logging';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps a caller id of up to 64 letters, digits and . _ : -', () => {
    for (const id of [
      'a',
      'req-1',
      'ABC_def.123:x',
      '0'.repeat(64),
      '7b0c0e2a-2f1e-4d7a-9a53-6d3c2f0b1a99',
    ]) {
      expect(requestIdFrom(id)).toBe(id);
    }
  });

  it('replaces a missing, long, repeated or unsafe id with a new UUID', () => {
    for (const bad of [undefined, '', '0'.repeat(65), 'a b', 'a\nb', '<x>', 'é', '-x', ['a', 'b']]) {
      expect(requestIdFrom(bad)).toMatch(UUID);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('pinoLevelOf', () => {
  it("maps Nest's most verbose level to pino's", () => {
    expect(pinoLevelOf(['error'])).toBe('error');
    expect(pinoLevelOf(['error', 'warn', 'log'])).toBe('info');
    expect(pinoLevelOf(['verbose', 'error'])).toBe('trace');
    expect(pinoLevelOf(false)).toBe('silent');
    expect(pinoLevelOf([])).toBe('silent');
  });
});

describe('labels', () => {
  const req = (fields: Record<string, unknown>) => ({ baseUrl: '', ...fields }) as unknown as Request;

  it('labels a matched request with its route pattern, never the URL', () => {
    expect(
      routeLabel(
        req({ route: { path: '/api/v1/imports/:importId' }, originalUrl: '/api/v1/imports/42?x=1' }),
      ),
    ).toBe('/api/v1/imports/:importId');
  });

  it('labels an unknown API path as unmatched (also behind a wildcard middleware route) and the rest as static', () => {
    expect(routeLabel(req({ originalUrl: '/api/v1/nope/123' }))).toBe('unmatched');
    expect(routeLabel(req({ route: { path: '/api*path' }, originalUrl: '/api/v1/nope' }))).toBe('unmatched');
    expect(routeLabel(req({ originalUrl: '/api' }))).toBe('unmatched');
    expect(routeLabel(req({ originalUrl: '/funnel?jobId=1' }))).toBe('static');
    expect(routeLabel(req({ originalUrl: '/apiary' }))).toBe('static');
  });

  it('keeps HTTP methods, and folds any other into OTHER', () => {
    expect(methodLabel('PATCH')).toBe('PATCH');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
  });
});
