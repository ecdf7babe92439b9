import { Injectable, computed, inject, signal } from '@angular/core';
import type { LoginRequest, SessionInfo } from '@hiresignal/shared';
import { Observable, catchError, finalize, map, of, tap } from 'rxjs';
import { ApiService } from './api.service';

/** Holds the signed-in session; the httpOnly cookie itself is invisible to the app. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiService);
  private readonly sessionState = signal<SessionInfo | null>(null);

  readonly session = this.sessionState.asReadonly();
  readonly isAuthenticated = computed(() => this.sessionState() !== null);

  login(credentials: LoginRequest): Observable<SessionInfo> {
    return this.api.login(credentials).pipe(tap((session) => this.sessionState.set(session)));
  }

  /** Takes a session the API opened another way (an accepted invitation). */
  signedIn(session: SessionInfo): void {
    this.sessionState.set(session);
  }

  /** Asks the API who we are; resolves to false (never errors) when there is no valid session. */
  restore(): Observable<boolean> {
    if (this.sessionState()) {
      return of(true);
    }
    return this.api.me().pipe(
      tap((session) => this.sessionState.set(session)),
      map(() => true),
      catchError(() => of(false)),
    );
  }

  logout(): Observable<void> {
    return this.api.logout().pipe(
      catchError(() => of(undefined)),
      finalize(() => this.clear()),
    );
  }

  clear(): void {
    this.sessionState.set(null);
  }
}
