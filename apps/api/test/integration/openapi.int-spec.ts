import { ROLES, organizationSettingsSchema, rubricSchema } from '@hiresignal/shared';
import { z } from 'zod';
import { outcomeQuerySchema } from '../../src/modules/analytics/analytics-filters';
import { atsMappingUpdateSchema } from '../../src/modules/connectors/ats-mapping.service';
import { startTestApp, type TestApp } from '../support/test-app';

interface Operation {
  'x-roles': string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  summary: string;
}
type Paths = Record<string, Record<string, Operation>>;

/** The JSON Schema of what a client sends, as the document states it (2020-12, the dialect of OpenAPI 3.1). */
const inputSchema = (schema: z.ZodType) => {
  const json: Record<string, unknown> = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  });
  delete json['$schema'];
  return json;
};

/** The routes Express actually has, read from its router, as "METHOD /path/{param}". */
function expressRoutes(t: TestApp): Set<string> {
  if (!t.app.http) throw new Error('no HTTP server');
  const express = t.app.http.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const routes = new Set<string>();
  for (const layer of express.router.stack) {
    // Route-scoped Nest middleware (nestjs-pino's request logger on /api{/*splat}) is mounted as a wildcard route
    // for every method; it answers nothing itself, so it is no endpoint. No endpoint has a wildcard.
    if (!layer.route || layer.route.path.includes('*')) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method === '_all') continue;
      routes.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

describe('GET /api/openapi.json', () => {
  let t: TestApp;
  let paths: Paths;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    paths = res.body.paths as Paths;
  });

  afterAll(async () => {
    await t?.close();
  });

  const operation = (method: string, path: string): Operation => {
    const op = paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return op;
  };

  it('lists exactly the routes the application has', () => {
    const documented = new Set(
      Object.entries(paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const actual = expressRoutes(t);
    expect(actual.size).toBeGreaterThan(15);
    expect([...documented].sort()).toEqual([...actual].sort());
  });

  it('lists the file-import routes, the upload as multipart', () => {
    const upload = operation('post', '/api/v1/imports');
    expect(upload['x-roles']).toEqual(['admin']);
    const form = upload.requestBody?.content['multipart/form-data']?.schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(form.properties).sort()).toEqual(['file', 'kind', 'onError']);
    expect(form.required).toEqual(expect.arrayContaining(['file', 'kind']));
    expect(upload.responses['202']).toBeDefined();

    expect(operation('get', '/api/v1/imports').parameters?.map((p) => p.name)).toEqual(['limit', 'before']);
    expect(operation('get', '/api/v1/imports/{importId}').parameters?.[0]).toMatchObject({
      name: 'importId',
      in: 'path',
      required: true,
    });
    expect(
      operation('get', '/api/v1/imports/{importId}/errors.csv').responses['200']?.content,
    ).toHaveProperty(['text/csv']);
    operation('get', '/api/v1/imports/mappings/{vendor}');
    operation('put', '/api/v1/imports/mappings/{vendor}');
  });

  it('documents request bodies and queries with the very schemas the routes validate with', () => {
    const body = (method: string, path: string) =>
      operation(method, path).requestBody?.content['application/json']?.schema;
    expect(body('put', '/api/v1/settings')).toEqual(inputSchema(organizationSettingsSchema));
    expect(body('put', '/api/v1/rubrics')).toEqual(inputSchema(rubricSchema));
    expect(body('put', '/api/v1/imports/mappings/{vendor}')).toEqual(inputSchema(atsMappingUpdateSchema));

    const query = inputSchema(outcomeQuerySchema) as { properties: Record<string, Record<string, unknown>> };
    const parameters = operation('get', '/api/v1/analytics/validity').parameters ?? [];
    expect(parameters.map((p) => p.name)).toEqual(Object.keys(query.properties));
    for (const p of parameters) {
      expect(p.in).toBe('query');
      expect(p.schema).toEqual(query.properties[p.name]);
      expect(p.required).toBe(false);
    }
  });

  it('states the access of every route: roles and a credential, or public', () => {
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, roles: op['x-roles'].length > 0 }).toEqual({ where, roles: true });
        if (op['x-roles'][0] === 'public') {
          expect({ where, security: op.security }).toEqual({ where, security: [] });
        } else {
          expect(ROLES).toEqual(expect.arrayContaining(op['x-roles']));
          expect({ where, security: op.security }).toEqual({
            where,
            security: [{ bearer: [] }, { session: [] }],
          });
          expect(op.responses['401']).toBeDefined();
        }
      }
    }
    expect(operation('get', '/api/openapi.json')['x-roles']).toEqual(['public']);
    expect(operation('get', '/api/health')['x-roles']).toEqual(['public']);
    expect(operation('put', '/api/v1/settings')['x-roles']).toEqual(['admin']);
  });

  it('agrees with the guard: a route not called public refuses a request without credentials', async () => {
    for (const [path, ops] of Object.entries(paths)) {
      const url = path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const [method, op] of Object.entries(ops)) {
        const res = await t.http[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
        const where = `${method.toUpperCase()} ${path}`;
        if (op['x-roles'][0] === 'public') {
          const signInAsked = res.status === 401 && /Sign in/.test(String(res.body.message));
          expect({ where, signInAsked }).toEqual({ where, signInAsked: false });
        } else {
          const refused = res.status === 401 || res.status === 403;
          expect({ where, status: res.status, refused }).toEqual({
            where,
            status: res.status,
            refused: true,
          });
        }
      }
    }
  });
});
