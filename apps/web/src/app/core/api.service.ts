import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  JobSummary,
  LoginRequest,
  SessionInfo,
  ValidityOutcome,
  ValidityResponse,
} from '@hiresignal/shared';
import type { Observable } from 'rxjs';

export const API_BASE = '/api/v1';

export interface ValidityQuery {
  outcome: ValidityOutcome;
  jobId: string | null;
}

/** Typed client for the HireSignal JSON API (same origin, session cookie). */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  login(body: LoginRequest): Observable<SessionInfo> {
    return this.http.post<SessionInfo>(`${API_BASE}/auth/login`, body);
  }

  logout(): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/logout`, null);
  }

  me(): Observable<SessionInfo> {
    return this.http.get<SessionInfo>(`${API_BASE}/auth/me`);
  }

  jobs(): Observable<JobSummary[]> {
    return this.http.get<JobSummary[]>(`${API_BASE}/jobs`);
  }

  validity(query: ValidityQuery): Observable<ValidityResponse> {
    let params = new HttpParams().set('outcome', query.outcome);
    if (query.jobId) {
      params = params.set('jobId', query.jobId);
    }
    return this.http.get<ValidityResponse>(`${API_BASE}/analytics/validity`, { params });
  }
}
