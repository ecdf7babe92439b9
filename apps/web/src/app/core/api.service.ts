import { HttpClient, HttpEventType, HttpParams, HttpRequest, HttpXhrBackend } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AcceptInvitationRequest,
  ApiKeyCreated,
  ApiKeySummary,
  AuditPage,
  ChangePasswordRequest,
  CreateApiKeyRequest,
  FilterOptions,
  ImportAccepted,
  ImportKind,
  ImportRunDetail,
  ImportRunSummary,
  InterviewersReport,
  InvitationCreated,
  InvitationInfo,
  JobSummary,
  LoginRequest,
  OrganizationSettings,
  OnErrorMode,
  PasswordResetCreated,
  ReliabilityReport,
  Role,
  SessionInfo,
  SessionSummary,
  TeamUser,
  UserPatch,
  ValidityReport,
} from '@hiresignal/shared';
import { type Observable, filter, map } from 'rxjs';

export const API_BASE = '/api/v1';

/** Query parameters of an analytics request: only the filters that are set (see toApiParams). */
export type AnalyticsParams = Record<string, string>;

export type UploadEvent =
  | { type: 'progress'; loaded: number; total: number | null }
  | { type: 'accepted'; body: ImportAccepted };

/** Typed client for the HireSignal JSON API (same origin, session cookie). */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);
  /**
   * The fetch backend (withFetch) reports no upload progress, so uploads go through XMLHttpRequest. This client
   * skips the interceptors: a 401 surfaces as an error for the Imports screen to show.
   */
  private readonly xhr = new HttpClient(inject(HttpXhrBackend));

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

  /** The values the job, department and source filters can take. */
  filterOptions(): Observable<FilterOptions> {
    return this.http.get<FilterOptions>(`${API_BASE}/filter-options`);
  }

  /** Typed as the full contract; an older API answers a subset, which normalizeValidity fills in. */
  validity(params: AnalyticsParams): Observable<Partial<ValidityReport>> {
    return this.http.get<Partial<ValidityReport>>(`${API_BASE}/analytics/validity`, {
      params: new HttpParams({ fromObject: params }),
    });
  }

  interviewers(params: AnalyticsParams): Observable<InterviewersReport> {
    return this.http.get<InterviewersReport>(`${API_BASE}/analytics/interviewers`, {
      params: new HttpParams({ fromObject: params }),
    });
  }

  reliability(params: AnalyticsParams): Observable<ReliabilityReport> {
    return this.http.get<ReliabilityReport>(`${API_BASE}/analytics/reliability`, {
      params: new HttpParams({ fromObject: params }),
    });
  }

  settings(): Observable<OrganizationSettings> {
    return this.http.get<OrganizationSettings>(`${API_BASE}/settings`);
  }

  updateSettings(body: OrganizationSettings): Observable<OrganizationSettings> {
    return this.http.put<OrganizationSettings>(`${API_BASE}/settings`, body);
  }

  imports(limit = 50): Observable<ImportRunSummary[]> {
    return this.http.get<ImportRunSummary[]>(`${API_BASE}/imports`, {
      params: new HttpParams().set('limit', limit),
    });
  }

  importRun(importId: string): Observable<ImportRunDetail> {
    return this.http.get<ImportRunDetail>(`${API_BASE}/imports/${encodeURIComponent(importId)}`);
  }

  /** Multipart upload; kind and onError go before the file so the server knows them when the file streams in. */
  uploadImport(file: File, kind: ImportKind, onError: OnErrorMode): Observable<UploadEvent> {
    const body = new FormData();
    body.append('kind', kind);
    body.append('onError', onError);
    body.append('file', file, file.name);
    const request = new HttpRequest('POST', `${API_BASE}/imports`, body, {
      reportProgress: true,
      withCredentials: true,
    });
    return this.xhr.request<ImportAccepted>(request).pipe(
      map((event): UploadEvent | null => {
        if (event.type === HttpEventType.UploadProgress) {
          return { type: 'progress', loaded: event.loaded, total: event.total ?? null };
        }
        if (event.type === HttpEventType.Response && event.body) {
          return { type: 'accepted', body: event.body };
        }
        return null;
      }),
      filter((event): event is UploadEvent => event !== null),
    );
  }

  // ---------- Team and access ----------

  users(): Observable<TeamUser[]> {
    return this.http.get<TeamUser[]>(`${API_BASE}/users`);
  }

  invite(email: string, role: Role): Observable<InvitationCreated> {
    return this.http.post<InvitationCreated>(`${API_BASE}/users/invitations`, { email, role });
  }

  updateUser(userId: string, patch: UserPatch): Observable<TeamUser> {
    return this.http.patch<TeamUser>(`${API_BASE}/users/${encodeURIComponent(userId)}`, patch);
  }

  resetPassword(userId: string): Observable<PasswordResetCreated> {
    return this.http.post<PasswordResetCreated>(
      `${API_BASE}/users/${encodeURIComponent(userId)}/password-reset`,
      null,
    );
  }

  apiKeys(): Observable<ApiKeySummary[]> {
    return this.http.get<ApiKeySummary[]>(`${API_BASE}/api-keys`);
  }

  createApiKey(body: CreateApiKeyRequest): Observable<ApiKeyCreated> {
    return this.http.post<ApiKeyCreated>(`${API_BASE}/api-keys`, body);
  }

  revokeApiKey(keyId: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/api-keys/${encodeURIComponent(keyId)}`);
  }

  /** Public: what an invitation or password-reset link is for. */
  invitation(token: string): Observable<InvitationInfo> {
    return this.http.get<InvitationInfo>(`${API_BASE}/auth/invitations/${encodeURIComponent(token)}`);
  }

  /** Public: sets the password and answers the new session (the cookie is set too). */
  acceptInvitation(body: AcceptInvitationRequest): Observable<SessionInfo> {
    return this.http.post<SessionInfo>(`${API_BASE}/auth/accept-invitation`, body);
  }

  changePassword(body: ChangePasswordRequest): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/password`, body);
  }

  sessions(): Observable<SessionSummary[]> {
    return this.http.get<SessionSummary[]>(`${API_BASE}/auth/sessions`);
  }

  endSession(sessionId: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/auth/sessions/${encodeURIComponent(sessionId)}`);
  }

  auditLog(params: Record<string, string>): Observable<AuditPage> {
    return this.http.get<AuditPage>(`${API_BASE}/audit-log`, {
      params: new HttpParams({ fromObject: params }),
    });
  }

  /** A plain link: the browser downloads the file with the session cookie. */
  auditExportUrl(params: Record<string, string>): string {
    const query = new HttpParams({ fromObject: params }).toString();
    return `${API_BASE}/audit-log/export.csv${query ? `?${query}` : ''}`;
  }
}
