import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  Cohort,
  CohortFilters,
  ExportCreated,
  ExportFormat,
  ExportFrequency,
  ExportReport,
  ExportSchedule,
  ExportSummary,
  FairnessGrouping,
  Outcome,
} from '@hiresignal/shared';
import { type Observable, exhaustMap, takeWhile, tap, timer } from 'rxjs';
import { describeHttpError } from '../../core/http-error';

const API = '/api/v1';

export interface ExportRequest {
  report: ExportReport;
  format: ExportFormat;
  /** Either the filters or a saved cohort's id. */
  filters?: CohortFilters;
  cohortId?: string;
  includeDemographics?: boolean;
  /** validity, interviewers, differential-validity only (the API refuses it elsewhere). */
  outcome?: Outcome;
  /** adverse-impact, differential-validity only. */
  groupBy?: FairnessGrouping;
  /** bias-audit, differential-validity only: a criterion key or composite. */
  criterion?: string;
}

export interface ScheduleRequest extends ExportRequest {
  name: string;
  frequency: ExportFrequency;
}

/** Saved cohorts, exports and export schedules (/api/v1/cohorts, /exports, /export-schedules). */
@Injectable({ providedIn: 'root' })
export class ExportsApiService {
  private readonly http = inject(HttpClient);

  /** The organization's saved cohorts, shared by the filter bars and the Exports screen; null until loaded. */
  private readonly cohortList = signal<Cohort[] | null>(null);
  private readonly cohortError = signal('');
  readonly cohorts = this.cohortList.asReadonly();
  readonly cohortsError = this.cohortError.asReadonly();
  private loading = false;

  /** Loads the cohorts once (or again with force), for every component that shows them. */
  loadCohorts(force = false): void {
    if (this.loading || (!force && this.cohortList() !== null)) return;
    this.loading = true;
    this.http.get<Cohort[]>(`${API}/cohorts`).subscribe({
      next: (list) => {
        this.loading = false;
        this.cohortError.set('');
        this.cohortList.set(list);
      },
      error: (error: unknown) => {
        this.loading = false;
        this.cohortError.set(describeHttpError(error));
      },
    });
  }

  createCohort(name: string, filters: CohortFilters): Observable<Cohort> {
    return this.http
      .post<Cohort>(`${API}/cohorts`, { name, filters })
      .pipe(tap(() => this.loadCohorts(true)));
  }

  renameCohort(id: string, name: string): Observable<Cohort> {
    return this.http
      .patch<Cohort>(`${API}/cohorts/${encodeURIComponent(id)}`, { name })
      .pipe(tap(() => this.loadCohorts(true)));
  }

  deleteCohort(id: string): Observable<void> {
    return this.http
      .delete<void>(`${API}/cohorts/${encodeURIComponent(id)}`)
      .pipe(tap(() => this.loadCohorts(true)));
  }

  createExport(request: ExportRequest): Observable<ExportCreated> {
    return this.http.post<ExportCreated>(`${API}/exports`, request);
  }

  exports(): Observable<ExportSummary[]> {
    return this.http.get<ExportSummary[]>(`${API}/exports`);
  }

  export(id: string): Observable<ExportSummary> {
    return this.http.get<ExportSummary>(`${API}/exports/${encodeURIComponent(id)}`);
  }

  /** An export every second until it is completed or failed (the last answer included). */
  watch(id: string, everyMs = 1000): Observable<ExportSummary> {
    return timer(0, everyMs).pipe(
      exhaustMap(() => this.export(id)),
      takeWhile((summary) => summary.status === 'queued' || summary.status === 'running', true),
    );
  }

  schedules(): Observable<ExportSchedule[]> {
    return this.http.get<ExportSchedule[]>(`${API}/export-schedules`);
  }

  createSchedule(request: ScheduleRequest): Observable<ExportSchedule> {
    return this.http.post<ExportSchedule>(`${API}/export-schedules`, request);
  }

  deleteSchedule(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/export-schedules/${encodeURIComponent(id)}`);
  }
}
