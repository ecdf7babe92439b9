import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/*
 * Defense in depth for tenancy. Every organization table has a row-level security policy (migration
 * 1765200000000) that shows a row only when its organization_id equals the connection's `app.org` setting, for
 * the non-superuser role APP_DB_ROLE. Each pooled connection is put into the scope of the code that checks it out:
 *
 * - an organization's scope (the handler of an authenticated request, a job of that organization): role
 *   APP_DB_ROLE with app.org set to it;
 * - the system scope (boot, migrations, the CLI, cross-organization sweeps, the guard's lookups and the public
 *   routes, which find an account by email, key or token before its organization is known): the connecting role,
 *   which RLS does not restrict.
 *
 * So a query that forgets its organization filter returns nothing of another organization instead of leaking it.
 */
export const APP_DB_ROLE = 'hiresignal_app';

export interface TenantScope {
  /** The organization whose rows are visible; null sees none. Ignored in the system scope. */
  readonly organizationId: string | null;
  readonly system: boolean;
}

const storage = new AsyncLocalStorage<TenantScope>();
const SYSTEM: TenantScope = Object.freeze({ organizationId: null, system: true });

/** The scope of the running code; code outside any scope (boot, timers, the CLI) is the system. */
export function currentScope(): TenantScope {
  return storage.getStore() ?? SYSTEM;
}

export function runInOrganization<T>(organizationId: string, fn: () => T): T {
  return storage.run({ organizationId, system: false }, fn);
}

export function runAsSystem<T>(fn: () => T): T {
  return storage.run(SYSTEM, fn);
}

const APPLIED = Symbol('hiresignal.scope');
type ScopedClient = PoolClient & { [APPLIED]?: string };

async function applyScope(client: ScopedClient, scope: TenantScope): Promise<void> {
  const key = scope.system ? 'system' : `org:${scope.organizationId ?? ''}`;
  if (client[APPLIED] === key) return;
  // Session-level settings: the connection keeps them until its next checkout in another scope.
  await client.query('SELECT set_config($1, $2, false), set_config($3, $4, false)', [
    'role',
    scope.system ? 'none' : APP_DB_ROLE,
    'app.org',
    scope.system ? '' : (scope.organizationId ?? ''),
  ]);
  client[APPLIED] = key;
}

/**
 * Puts every connection checked out of the DataSource's pool (TypeORM's query runners and the code that takes a
 * client of the pool directly) into the current scope before it is handed over.
 */
export function scopeConnections(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const connect = pool.connect.bind(pool) as (
    cb?: (err: Error | undefined, client?: PoolClient, release?: (err?: unknown) => void) => void,
  ) => Promise<PoolClient> | void;
  const scoped = (
    callback?: (err: Error | undefined, client?: PoolClient, release?: (err?: unknown) => void) => void,
  ): Promise<PoolClient> | void => {
    // Taken now: a waiting checkout's callback runs later in the context of whoever released the connection.
    const scope = currentScope();
    if (!callback) {
      return (connect() as Promise<PoolClient>).then(async (client) => {
        try {
          await applyScope(client, scope);
          return client;
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
      });
    }
    connect((err, client, release) => {
      if (err || !client) return callback(err, client, release);
      applyScope(client, scope).then(
        () => callback(undefined, client, release),
        (error: Error) => {
          release?.(error);
          callback(error);
        },
      );
    });
  };
  (pool as unknown as { connect: typeof scoped }).connect = scoped;
}

/**
 * The row-level-security statements for a new organization table (one with an organization_id column). Every
 * migration that creates such a table runs them; a test fails for any organization table without its policy.
 */
export function organizationPolicySql(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  const mine = `organization_id = nullif(current_setting('app.org', true), '')::uuid`;
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY organization_isolation ON ${table} USING (${mine}) WITH CHECK (${mine});`;
}
