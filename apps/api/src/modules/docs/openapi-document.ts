import { z } from 'zod';
import type {
  ApiDocOptions,
  ApiDocResponse,
  ApiSchema,
  JsonSchemaObject,
} from '../../common/api-docs.decorator';
import type { AccessPolicy } from '../identity/access.decorators';
import { COMPONENT_SCHEMAS, OPENAPI_INFO, SECURITY_SCHEMES } from './openapi-components';

/*
 * Builds the OpenAPI 3.1 document served at GET /api/openapi.json from the routes the application has (found by
 * openapi.service.ts) and their @ApiDoc metadata. Pure: no Nest, so it is unit-tested on its own.
 */

/** One route as Nest registers it. */
export interface RouteInfo {
  /** Lowercase HTTP method: get, post, put, patch, delete, options, head. */
  method: string;
  /** Express path with the global prefix, e.g. /api/v1/imports/:importId. */
  path: string;
  /** ControllerClass.method, unique in the application. */
  operationId: string;
  /** Default tag: the controller's name without "Controller", lowercase. */
  tag: string;
  /** The success status: @HttpCode, else 201 for POST and 200 otherwise. */
  status: number;
  access: AccessPolicy | undefined;
  doc: ApiDocOptions | undefined;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: typeof OPENAPI_INFO;
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: typeof SECURITY_SCHEMES; schemas: Record<string, JsonSchemaObject> };
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  deprecated?: boolean;
  'x-roles': string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: true; content: Record<string, { schema: JsonSchemaObject }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchemaObject }> }>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchemaObject;
  description?: string;
}

/** Either credential works on every non-public route. */
export const AUTHENTICATED: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function isZodSchema(schema: ApiSchema): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

/**
 * The JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends: zod's input side, so defaults make
 * a field optional and transforms document their input. Refinements and transforms have no JSON Schema equivalent
 * and are left out rather than failing ('any'). A plain JSON Schema is returned as is.
 */
export function toJsonSchema(schema: ApiSchema): JsonSchemaObject {
  if (!isZodSchema(schema)) return schema;
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  }) as JsonSchemaObject;
  delete json['$schema'];
  return json;
}

/** /api/v1/imports/:importId -> /api/v1/imports/{importId} (Express 5 wildcards *name as well). */
export function toOpenApiPath(path: string): string {
  return path.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The names of a route's path parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}

/** Joins the global prefix, controller path and method path as Nest does: one slash between non-empty parts. */
export function joinRoutePath(...parts: (string | undefined)[]): string {
  const segments = parts.map((p) => (p ?? '').replace(/^\/+|\/+$/g, '')).filter((p) => p.length > 0);
  return `/${segments.join('/')}`;
}

function objectProperties(schema: JsonSchemaObject): {
  properties: Record<string, JsonSchemaObject>;
  required: string[];
} {
  return {
    properties: (schema['properties'] as Record<string, JsonSchemaObject> | undefined) ?? {},
    required: (schema['required'] as string[] | undefined) ?? [],
  };
}

function parameters(route: RouteInfo): Parameter[] {
  const doc = route.doc;
  const descriptions = doc?.parameterDescriptions ?? {};
  const withDescription = (p: Parameter): Parameter => {
    const description = (p.schema['description'] as string | undefined) ?? descriptions[p.name];
    return description ? { ...p, description } : p;
  };
  const pathSchema = doc?.params ? objectProperties(toJsonSchema(doc.params)) : null;
  const inPath = pathParameterNames(route.path).map((name) =>
    withDescription({
      name,
      in: 'path',
      required: true,
      schema: pathSchema?.properties[name] ?? { type: 'string' },
    }),
  );
  const query = doc?.query ? objectProperties(toJsonSchema(doc.query)) : null;
  const inQuery = query
    ? Object.entries(query.properties).map(([name, schema]) =>
        withDescription({ name, in: 'query', required: query.required.includes(name), schema }),
      )
    : [];
  return [...inPath, ...inQuery];
}

function response(
  entry: ApiDocResponse,
  produces: string,
): { description: string; content?: Record<string, { schema: JsonSchemaObject }> } {
  const contentType = entry.contentType ?? produces;
  if (entry.schema) {
    return {
      description: entry.description,
      content: { [contentType]: { schema: toJsonSchema(entry.schema) } },
    };
  }
  if (contentType !== 'application/json') {
    return { description: entry.description, content: { [contentType]: { schema: { type: 'string' } } } };
  }
  return { description: entry.description };
}

/** The OpenAPI operation of one route. */
export function buildOperation(route: RouteInfo): Operation {
  const doc = route.doc;
  const isPublic = route.access?.kind === 'public';
  const roles = route.access?.kind === 'roles' ? [...route.access.roles] : [];
  const produces = doc?.produces ?? 'application/json';
  const declared: Record<number, ApiDocResponse> = doc?.responses ?? {
    [route.status]: { description: 'OK' },
  };
  const responses: Operation['responses'] = {};
  for (const [status, entry] of Object.entries(declared)) responses[status] = response(entry, produces);
  if (!isPublic) {
    responses['401'] ??= errorResponse('No or invalid credentials');
    responses['403'] ??= errorResponse('Role not allowed');
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    tags: doc?.tags ?? [route.tag],
    summary: doc?.summary ?? route.operationId,
    ...(doc?.description ? { description: doc.description } : {}),
    ...(doc?.deprecated ? { deprecated: true } : {}),
    'x-roles': isPublic ? ['public'] : roles,
    security: isPublic ? [] : AUTHENTICATED,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(doc?.body
      ? {
          requestBody: {
            required: true as const,
            content: { [doc.consumes ?? 'application/json']: { schema: toJsonSchema(doc.body) } },
          },
        }
      : {}),
    responses,
  };
}

/** The whole document: every route, paths and operations sorted so the output is stable. */
export function buildOpenApiDocument(routes: RouteInfo[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    const path = toOpenApiPath(route.path);
    (paths[path] ??= {})[route.method] = buildOperation(route);
  }
  const tags = [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((o) => o.tags)))];
  return {
    openapi: '3.1.0',
    info: OPENAPI_INFO,
    servers: [{ url: '/' }],
    security: AUTHENTICATED,
    tags: tags.sort().map((name) => ({ name })),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES, schemas: COMPONENT_SCHEMAS },
  };
}
