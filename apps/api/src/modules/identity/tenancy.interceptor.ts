import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runAsSystem, runInOrganization } from '../../database/tenancy';
import type { AuthenticatedRequest } from './principal.decorator';

/**
 * Runs each route handler in the row-level-security scope of its caller's organization (database/tenancy.ts);
 * public routes run in the system scope, since they look an account up before its organization is known.
 */
@Injectable()
export class TenancyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    return new Observable((subscriber) => {
      const subscribe = () => next.handle().subscribe(subscriber);
      return principal ? runInOrganization(principal.organizationId, subscribe) : runAsSystem(subscribe);
    });
  }
}
