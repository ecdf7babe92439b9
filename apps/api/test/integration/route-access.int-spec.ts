import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROLES, type Role } from '@hiresignal/shared';
import { IdentityService } from '../../src/modules/identity/identity.service';
import { OpenApiService } from '../../src/modules/docs/openapi.service';
import type { RouteInfo } from '../../src/modules/docs/openapi-document';
import { bearer, createOrganization, startTestApp, type TestApp } from '../support/test-app';

/*
 * Every route of the running application, called with no credentials and with an API key of every role: the
 * guard must answer exactly as the route's policy says, and the README's route table must list exactly these
 * routes with these roles (the table a person reads is the one the code enforces).
 */

const GUARD_401 = /^Sign in, or send an API key/;
const GUARD_403 = /^Role \w+ may not use this route/;
const ZERO_ID = '00000000-0000-4000-8000-000000000000';
const PARAM_VALUES: Record<string, string> = {
  vendor: 'greenhouse',
  kind: 'applications',
  token: 'no-such-token',
};

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => PARAM_VALUES[name] ?? ZERO_ID);
}

function rolesCell(route: RouteInfo): string {
  const access = route.access;
  if (!access || access.kind === 'public') return 'public';
  const roles = ROLES.filter((r) => access.roles.includes(r));
  return roles.length === ROLES.length ? 'any role' : roles.join(', ');
}

function readmeRouteTable(): Map<string, string> {
  const readme = readFileSync(resolve(process.cwd(), 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- route-table:start -->');
  const end = readme.indexOf('<!-- route-table:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no route table markers');
  const rows = new Map<string, string>();
  for (const line of readme.slice(start, end).split('\n')) {
    const match = /^\|\s*`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (match) rows.set(`${match[1]} ${match[2]}`, match[3]);
  }
  return rows;
}

describe('who may use which route: every route, every role, and the README table', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ PASSWORD_HASH_LOG2_N: '12' });
    const org = await createOrganization(t);
    const identity = t.app.context.get(IdentityService);
    for (const role of ROLES) keys[role] = (await identity.createApiKey(org.organizationId, role, role)).key;
    routes = t.app.context.get(OpenApiService).routes();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function call(route: RouteInfo, headers: Record<string, string>) {
    const req = t.http[route.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](concretePath(route.path));
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return route.method === 'get' || route.method === 'delete' ? req : req.send({});
  }

  it('finds the routes (a sanity floor, so an empty walk cannot pass)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const path of ['/api/v1/users', '/api/v1/api-keys', '/api/v1/audit-log', '/api/v1/imports']) {
      expect(routes.some((r) => r.path === path)).toBe(true);
    }
  });

  it('answers 401 without credentials on every non-public route, and never the guard 401 on a public one', async () => {
    for (const route of routes) {
      const res = await call(route, {});
      const guarded = res.status === 401 && GUARD_401.test(String(res.body?.message));
      const isPublic = route.access?.kind === 'public';
      expect({ route: `${route.method} ${route.path}`, guarded }).toEqual({
        route: `${route.method} ${route.path}`,
        guarded: !isPublic,
      });
    }
  });

  it.each(ROLES)('lets %s use exactly the routes its role allows', async (role) => {
    for (const route of routes.filter((r) => r.access?.kind === 'roles')) {
      const allowed = route.access?.kind === 'roles' && route.access.roles.includes(role);
      const res = await call(route, bearer(keys[role]));
      const refused = res.status === 403 && GUARD_403.test(String(res.body?.message));
      const id = `${role} ${route.method} ${route.path} -> ${res.status}`;
      expect({ id, refused }).toEqual({ id, refused: !allowed });
      expect({ id, unauthenticated: res.status === 401 }).toEqual({ id, unauthenticated: false });
    }
  });

  it('is documented route by route in the README table', () => {
    const expected = new Map(
      routes.map((r) => [`${r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`, rolesCell(r)]),
    );
    const table = [...expected]
      .sort(([a], [b]) => a.split(' ')[1].localeCompare(b.split(' ')[1]) || a.localeCompare(b))
      .map(([route, roles]) => `| \`${route}\` | ${roles} |`)
      .join('\n');
    const actual = readmeRouteTable();
    if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
      throw new Error(`README.md's route table differs from the routes; the table should read:\n${table}`);
    }
  });

  it('keeps demographics-level capabilities to admins and analysts, and team and audit to admins', () => {
    const rolesOf = (path: string, method = 'get') =>
      routes.find((r) => r.path === path && r.method === method)?.access;
    expect(rolesOf('/api/v1/users')).toEqual({ kind: 'roles', roles: ['admin'] });
    expect(rolesOf('/api/v1/audit-log')).toEqual({ kind: 'roles', roles: ['admin'] });
    expect(rolesOf('/api/v1/analytics/validity')).toEqual({
      kind: 'roles',
      roles: ['admin', 'talent_leader', 'analyst'],
    });
    expect(rolesOf('/api/v1/imports')).toEqual({ kind: 'roles', roles: ['admin', 'recruiter', 'analyst'] });
  });
});
