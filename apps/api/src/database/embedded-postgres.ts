import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite is one backend session: pglite-socket multiplexes connections onto it message by message, which mixes
 * up the extended-protocol messages of concurrent clients ("unnamed prepared statement does not exist"). So the
 * pool holds one connection; code inside a transaction must use that transaction's EntityManager, never the pool.
 */
export const EMBEDDED_MAX_CONNECTIONS = 1;

export interface EmbeddedPostgres {
  host: string;
  port: number;
  dataDir: string | null;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) behind a loopback socket, so the rest of the app talks to it
 * with the ordinary `pg` driver exactly as to a real server. `dataDir` null keeps it in memory (tests).
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  let dir: string | null = null;
  if (dataDir !== null) {
    dir = resolve(dataDir);
    await mkdir(dir, { recursive: true });
  }
  const db = dir === null ? await PGlite.create() : await PGlite.create(dir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  return {
    host: '127.0.0.1',
    port,
    dataDir: dir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
