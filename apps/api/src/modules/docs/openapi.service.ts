import { Injectable, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { API_DOC_METADATA, type ApiDocOptions } from '../../common/api-docs.decorator';
import { ACCESS_METADATA, type AccessPolicy } from '../identity/access.decorators';
import {
  buildOpenApiDocument,
  joinRoutePath,
  type OpenApiDocument,
  type RouteInfo,
} from './openapi-document';

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : [typeof value === 'string' ? value : '/'];

/**
 * Finds every controller route the way Nest registers it (controller path x method path, under the global prefix)
 * with its access policy and @ApiDoc, and builds the OpenAPI document once, on the first request.
 */
@Injectable()
export class OpenApiService {
  private cached: OpenApiDocument | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly appConfig: ApplicationConfig,
  ) {}

  document(): OpenApiDocument {
    return (this.cached ??= buildOpenApiDocument(this.routes()));
  }

  routes(): RouteInfo[] {
    const prefix = this.appConfig.getGlobalPrefix();
    const routes: RouteInfo[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller?.prototype) continue;
      const proto = controller.prototype as Record<string, unknown>;
      const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
      const tag = controller.name.replace(/Controller$/, '').toLowerCase();
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as (...args: unknown[]) => unknown;
        const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPath === undefined) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const method = RequestMethod[requestMethod]?.toLowerCase();
        // RequestMethod.ALL and SEARCH have no OpenAPI operation; none is used here.
        if (!method || method === 'all' || method === 'search') continue;
        const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
        const access = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [
          handler,
          controller,
        ]);
        const doc = this.reflector.get<ApiDocOptions | undefined>(API_DOC_METADATA, handler);
        for (const controllerPath of controllerPaths) {
          for (const path of asList(methodPath)) {
            routes.push({
              method,
              path: joinRoutePath(prefix, controllerPath, path),
              operationId: `${controller.name}.${name}`,
              tag,
              status: httpCode ?? (method === 'post' ? 201 : 200),
              access,
              doc,
            });
          }
        }
      }
    }
    return routes;
  }
}
