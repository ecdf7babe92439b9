import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/*
 * The dashboard's static files, compressed and cached (issue: fast first paint). At boot every text file of the
 * build is compressed once with brotli and gzip, in the background (until a file is ready it is served as is by the
 * plain static handler behind this one). A request gets the best encoding its Accept-Encoding allows. Files whose
 * name carries a content hash (Angular's main-ABCD1234.js) are cached for a year as immutable; the others for an
 * hour (index.html itself is answered by the app-shell route with no-cache).
 */

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A file name with a content hash, as the Angular build writes them: name-HASH.ext (8 or more capitals/digits). */
export const HASHED_NAME = /-[A-Z0-9]{8,}\.[a-z]+$/;

export const YEAR_CACHE = 'public, max-age=31536000, immutable';
export const HOUR_CACHE = 'public, max-age=3600';

interface Compressed {
  type: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
  cache: string;
}

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...textFiles(path));
    else if (TYPES[extname(name)] && name !== 'index.html') out.push(path);
  }
  return out;
}

/** Which encoding to send for an Accept-Encoding header: br, then gzip, else none (q=0 refuses one). */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

export function compressedStaticAssets(webDir: string): RequestHandler {
  const files = new Map<string, Compressed>();
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  // In the background: boot does not wait, and requests before a file is ready fall through to plain serving.
  void (async () => {
    for (const path of textFiles(webDir)) {
      const identity = readFileSync(path);
      const [br, gzipped] = await Promise.all([
        brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        gz(identity, { level: 9 }),
      ]);
      const url = `/${relative(webDir, path).split(sep).join('/')}`;
      files.set(url, {
        type: TYPES[extname(path)] ?? 'application/octet-stream',
        identity,
        br,
        gzip: gzipped,
        cache: HASHED_NAME.test(path) ? YEAR_CACHE : HOUR_CACHE,
      });
    }
  })().catch(() => undefined);

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = files.get(req.path);
    if (!file) return next();
    const encoding = pickEncoding(req.headers['accept-encoding']);
    const body = encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.identity;
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', file.cache);
    res.setHeader('Vary', 'Accept-Encoding');
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', String(body.length));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
  };
}
