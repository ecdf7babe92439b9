import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    await takeLock(dir);
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
      if (dir !== null) await rm(join(dir, LOCK_FILE), { force: true });
    },
  };
}

const LOCK_FILE = 'hiresignal.lock';

/**
 * PGlite's files belong to one process: a second one opening them (a second server, or the admin CLI while the
 * server runs) would corrupt the database. The first process writes its pid here; others refuse while it lives.
 */
async function takeLock(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${dir} is in use by another HireSignal process (pid ${pid}). PGlite serves one ` +
            'process at a time, so this command cannot run while the server holds it: stop the server (Ctrl+C) ' +
            'and run the command again, or run HireSignal on PostgreSQL (DATABASE_URL), where the admin commands ' +
            'work beside a running server.',
        );
      }
      // Left by a process that is gone (killed, or a crash): take it over.
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
