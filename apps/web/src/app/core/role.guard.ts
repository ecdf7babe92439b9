import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { map } from 'rxjs';
import { type Capability, can } from './access';
import { AuthService } from './auth.service';
import { homeFor } from './screens';

/**
 * Opens a screen only for the roles that may use it (route data `capability`); any other role sees a page that
 * says so and lists its own screens, never a blank page of failed requests.
 */
export const capabilityGuard: CanActivateFn = (route) => {
  const router = inject(Router);
  const auth = inject(AuthService);
  const capability = route.data['capability'] as Capability;
  return auth.restore().pipe(
    map(() => {
      const session = auth.session();
      if (!session) {
        return router.createUrlTree(['/login']);
      }
      return can(session.role, capability)
        ? true
        : router.createUrlTree(['/not-available'], { queryParams: { screen: route.routeConfig?.path } });
    }),
  );
};

/** The default route: the signed-in role's first screen. */
export const homeGuard: CanActivateFn = () => {
  const router = inject(Router);
  const auth = inject(AuthService);
  return auth.restore().pipe(
    map(() => {
      const session = auth.session();
      return router.parseUrl(session ? homeFor(session.role) : '/login');
    }),
  );
};
