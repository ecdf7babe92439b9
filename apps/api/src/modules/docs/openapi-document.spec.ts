import { z } from 'zod';
import {
  buildOpenApiDocument,
  buildOperation,
  joinRoutePath,
  pathParameterNames,
  toJsonSchema,
  toOpenApiPath,
  type RouteInfo,
} from './openapi-document';

const route = (over: Partial<RouteInfo>): RouteInfo => ({
  method: 'get',
  path: '/api/v1/things',
  operationId: 'ThingsController.list',
  tag: 'things',
  status: 200,
  access: { kind: 'roles', roles: ['admin'] },
  doc: undefined,
  ...over,
});

describe('OpenAPI document generation', () => {
  it('joins paths as Nest does and converts :params', () => {
    expect(joinRoutePath('api', '/', 'health')).toBe('/api/health');
    expect(joinRoutePath('api', 'v1/settings', '/')).toBe('/api/v1/settings');
    expect(joinRoutePath('', 'v1/', '/imports/:importId/errors.csv')).toBe(
      '/v1/imports/:importId/errors.csv',
    );
    expect(toOpenApiPath('/api/v1/imports/:importId/errors.csv')).toBe(
      '/api/v1/imports/{importId}/errors.csv',
    );
    expect(pathParameterNames('/a/:x/b/:y_2')).toEqual(['x', 'y_2']);
  });

  it('converts zod input shapes without crashing on refinements, transforms and defaults', () => {
    const schema = z
      .strictObject({
        outcome: z.enum(['a', 'b']).default('a'),
        version: z.string().regex(/^\d+$/).transform(Number).optional(),
        when: z.date().optional(),
      })
      .refine((v) => v.outcome !== 'b' || v.version !== undefined);
    const json = toJsonSchema(schema);
    expect(json).not.toHaveProperty('$schema');
    expect(json).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        outcome: { type: 'string', enum: ['a', 'b'], default: 'a' },
        version: { type: 'string', pattern: '^\\d+$' },
        when: {},
      },
    });
    expect(json['required']).toBeUndefined();
    const plain = { type: 'object', properties: { file: { type: 'string' } } };
    expect(toJsonSchema(plain)).toBe(plain);
  });

  it('marks access: roles with both credentials, public with none', () => {
    const secured = buildOperation(route({}));
    expect(secured['x-roles']).toEqual(['admin']);
    expect(secured.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(Object.keys(secured.responses)).toEqual(['200', '401', '403']);
    const open = buildOperation(route({ access: { kind: 'public' } }));
    expect(open['x-roles']).toEqual(['public']);
    expect(open.security).toEqual([]);
    expect(Object.keys(open.responses)).toEqual(['200']);
  });

  it('turns query and path schemas into parameters and documents bodies and media types', () => {
    const op = buildOperation(
      route({
        method: 'put',
        path: '/api/v1/things/:thingId/:other',
        status: 202,
        doc: {
          summary: 'Put a thing',
          params: z.object({ thingId: z.uuid() }),
          query: z.object({ limit: z.string().optional(), q: z.string().describe('search') }),
          parameterDescriptions: { limit: 'how many', q: 'ignored: the schema has one' },
          body: z.object({ name: z.string() }),
          consumes: 'multipart/form-data',
          produces: 'text/csv',
          responses: {
            202: { description: 'Accepted' },
            404: { description: 'No', contentType: 'application/json' },
          },
        },
      }),
    );
    expect(op.parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) },
      { name: 'other', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'string' }, description: 'how many' },
      {
        name: 'q',
        in: 'query',
        required: true,
        schema: { type: 'string', description: 'search' },
        description: 'search',
      },
    ]);
    expect(op.requestBody?.content['multipart/form-data']?.schema).toEqual(
      toJsonSchema(z.object({ name: z.string() })),
    );
    expect(op.responses['202']).toEqual({
      description: 'Accepted',
      content: { 'text/csv': { schema: { type: 'string' } } },
    });
    expect(op.responses['404']).toEqual({ description: 'No' });
  });

  it('lists every route, sorted, under OpenAPI paths', () => {
    const doc = buildOpenApiDocument([
      route({ method: 'post', path: '/api/v1/things', operationId: 'b' }),
      route({ method: 'get', path: '/api/v1/things/:id', operationId: 'c', tag: 'other' }),
      route({ method: 'get', path: '/api/v1/things', operationId: 'a' }),
    ]);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/things', '/api/v1/things/{id}']);
    expect(Object.keys(doc.paths['/api/v1/things'] ?? {})).toEqual(['get', 'post']);
    expect(doc.tags).toEqual([{ name: 'other' }, { name: 'things' }]);
  });
});
