import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { API_BASE } from './api.service';
import { AuthService } from './auth.service';

/**
 * A 401 from any data endpoint means the session ended (idle too long, its lifetime over, or ended from another
 * device): forget it and send the user to sign in again, saying why (`reason=expired`) and coming back afterwards.
 * Auth endpoints are left alone: their 401s are answers (wrong password, no session) that the login
 * form and the guard handle themselves.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const router = inject(Router);
  const auth = inject(AuthService);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        !req.url.startsWith(`${API_BASE}/auth/`)
      ) {
        const hadSession = auth.isAuthenticated();
        auth.clear();
        if (!router.url.startsWith('/login')) {
          void router.navigate(['/login'], {
            queryParams: { returnUrl: router.url, reason: hadSession ? 'expired' : undefined },
          });
        }
      }
      return throwError(() => error);
    }),
  );
};
