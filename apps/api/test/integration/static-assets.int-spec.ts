import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The dashboard's files as a browser gets them (issue: fast first paint): compressed with the best encoding the
 * request accepts, hashed files cached for a year as immutable, other files for an hour, the app shell never cached.
 * A build directory of a few files stands in for the Angular build's output (its names follow the same pattern).
 */
const MAIN = `console.log(${JSON.stringify('hiresignal '.repeat(2000))});\n`;

describe('static dashboard files: compression and caching (HTTP)', () => {
  let t: TestApp;
  let dir: string;

  let base: string;

  /** A plain HTTP request (no client-side decompression), so the bytes on the wire are checked. */
  const raw = (path: string, encoding = 'identity') =>
    new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = request(`${base}${path}`, { headers: { 'Accept-Encoding': encoding } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>HireSignal</title>');
    writeFileSync(join(dir, 'main-AB12CD34.js'), MAIN);
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    t = await startTestApp({ WEB_DIST_DIR: dir });
    const server = t.app.http?.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Compression runs in the background at boot: wait until the hashed file comes back compressed.
    for (let i = 0; i < 100; i++) {
      if ((await raw('/main-AB12CD34.js', 'br')).headers['content-encoding'] === 'br') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends brotli or gzip as the request allows, the same bytes once decoded', async () => {
    const br = await raw('/main-AB12CD34.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/);
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(MAIN);
    // 22 kB of repeated text: compressed it must be a small fraction.
    expect(br.body.length).toBeLessThan(MAIN.length / 20);

    const gz = await raw('/main-AB12CD34.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(MAIN);

    const refused = await raw('/main-AB12CD34.js', 'br;q=0, gzip');
    expect(refused.headers['content-encoding']).toBe('gzip');

    const plain = await raw('/main-AB12CD34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(MAIN);
  });

  it('caches hashed files for a year, other files for an hour, and never the app shell', async () => {
    expect((await raw('/main-AB12CD34.js', 'br')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await raw('/media/logo.svg', 'br')).headers['cache-control']).toBe('public, max-age=3600');
    const shell = await t.http.get('/validity');
    expect(shell.status).toBe(200);
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(shell.text).toContain('<title>HireSignal</title>');
  });
});
