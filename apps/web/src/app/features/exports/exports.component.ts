import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import type {
  Cohort,
  ExportFormat,
  ExportFrequency,
  ExportReport,
  ExportSchedule,
  ExportSummary,
  FairnessGrouping,
  Outcome,
} from '@hiresignal/shared';
import { type Observable, Subject, catchError, map, of, startWith, switchMap, timer } from 'rxjs';
import { can } from '../../core/access';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { LOADING, type LoadState, dataOf, errorOf } from '../../core/load-state';
import { formatBytes, formatWhen } from '../imports/imports-format';
import { OUTCOME_LABELS } from '../analytics/analytics-filters';
import { type ExportRequest, ExportsApiService } from './exports-api.service';
import {
  FORMAT_LABELS,
  FREQUENCY_HINTS,
  FREQUENCY_LABELS,
  GROUPING_LABELS,
  REPORT_LABELS,
  REPORT_SHORT,
  STATUS_LABELS,
  defaultScheduleName,
  describeExportProgress,
  describeFilters,
  describeKeys,
  downloadUrl,
  formatCount,
  isActiveExport,
  parseCohortParams,
  progressOf,
  refusedKeys,
  retentionText,
  takesOption,
} from './exports-format';

type When = 'now' | ExportFrequency;

/** "link": the filters in this page's URL (brought from another screen); "all": no filters; else a cohort id. */
type Source = 'all' | 'link' | string;

function loadState<T>(request: Observable<T>): Observable<LoadState<T>> {
  return request.pipe(
    map((data): LoadState<T> => ({ status: 'ready', data })),
    catchError((error: unknown) => of<LoadState<T>>({ status: 'error', message: describeHttpError(error) })),
  );
}

/** Cohorts & exports: saved cohorts, a new export or schedule, running exports, the files, and the schedules. */
@Component({
  selector: 'hs-exports',
  templateUrl: './exports.component.html',
  styles: `
    .exports-grid {
      display: grid;
      gap: 1.25rem;
      margin-top: 1.25rem;
    }
    .exports-grid > * {
      margin: 0;
      min-width: 0;
    }
    .export-form > * {
      max-width: 52rem;
    }
    .export-form .field select,
    .export-form .field input[type='text'] {
      max-width: 100%;
      min-width: 0;
    }
    .choice-row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1.25rem;
    }
    .choice-row label {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font-weight: 500;
    }
    .choice-row input,
    .check input {
      min-height: 0;
    }
    .check {
      display: flex;
      align-items: flex-start;
      gap: 0.5rem;
      font-weight: 600;
    }
    .check input {
      margin-top: 0.3rem;
    }
    .warning {
      background: #fffaf0;
      border: 1px solid #f0c36d;
      border-radius: 6px;
      padding: 0.6rem 0.75rem;
      margin: 0.5rem 0 0;
      font-size: 0.9rem;
      max-width: 72ch;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0 0 1rem;
      min-width: 0;
    }
    legend {
      font-weight: 600;
      font-size: 0.88rem;
      padding: 0;
      margin-bottom: 0.35rem;
    }
    .running-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.9rem;
    }
    .running-list progress {
      max-width: 28rem;
      display: block;
      margin: 0.35rem 0 0.2rem;
    }
    .help dt {
      font-weight: 600;
      margin-top: 0.6rem;
    }
    .help dd {
      margin: 0.15rem 0 0;
      color: var(--text-muted);
      max-width: 72ch;
    }
    .inline-edit {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    .inline-edit input {
      min-width: 0;
      width: 14rem;
      max-width: 100%;
    }
    .runs {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    .filters-cell {
      min-width: 12rem;
      max-width: 26rem;
      overflow-wrap: anywhere;
    }
    .status-message {
      margin: 0.5rem 0 0;
    }
    h2 {
      font-size: 1.15rem;
    }
    /* On a phone, a row's buttons wrap inside their cell instead of widening the table. */
    @media (max-width: 600px) {
      .row-actions {
        white-space: normal;
        text-align: left;
      }
      .row-actions > * {
        margin: 0.2rem 0.4rem 0.2rem 0;
      }
      .filters-cell {
        min-width: 7rem;
      }
    }
    .button-small {
      min-height: 2.1rem;
      padding: 0.3rem 0.8rem;
      font-size: 0.88rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportsComponent {
  private readonly api = inject(ExportsApiService);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);
  private readonly refreshExports$ = new Subject<void>();
  private readonly refreshSchedules$ = new Subject<void>();
  private readonly polling = new Set<string>();

  protected readonly reportLabels = REPORT_LABELS;
  protected readonly reportShort = REPORT_SHORT;
  protected readonly formatLabels = FORMAT_LABELS;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly frequencyLabels = FREQUENCY_LABELS;
  protected readonly reports = Object.keys(REPORT_LABELS) as ExportReport[];
  protected readonly formats = Object.keys(FORMAT_LABELS) as ExportFormat[];
  protected readonly whens: readonly When[] = ['now', 'daily', 'weekly', 'monthly'];
  protected readonly outcomes = Object.keys(OUTCOME_LABELS) as Outcome[];
  protected readonly outcomeLabels = OUTCOME_LABELS;
  protected readonly groupings = Object.keys(GROUPING_LABELS) as FairnessGrouping[];
  protected readonly groupingLabels = GROUPING_LABELS;
  protected readonly describeFilters = describeFilters;
  protected readonly describeProgress = describeExportProgress;
  protected readonly progressOf = progressOf;
  protected readonly downloadUrl = downloadUrl;
  protected readonly formatBytes = formatBytes;
  protected readonly formatWhen = formatWhen;
  protected readonly formatCount = formatCount;
  protected readonly isActive = isActiveExport;

  protected readonly canDemographics = computed(() => {
    const role = this.auth.session()?.role;
    return !!role && can(role, 'demographics');
  });

  // ---------- Cohorts ----------

  protected readonly cohorts = computed(() => this.api.cohorts() ?? []);
  protected readonly cohortsLoading = computed(() => this.api.cohorts() === null && !this.api.cohortsError());
  protected readonly cohortsError = this.api.cohortsError;
  protected readonly renaming = signal<string | null>(null);
  protected readonly renameValue = signal('');
  protected readonly confirmingDelete = signal<string | null>(null);
  protected readonly cohortMessage = signal('');
  protected readonly cohortError = signal('');
  private readonly renameInput = viewChild<ElementRef<HTMLInputElement>>('renameInput');

  // ---------- New export ----------

  private readonly params = toSignal(this.route.queryParamMap, { requireSync: true });
  /** Filters brought in the link (e.g. from a screen): offered as the export's rows. */
  protected readonly linkFilters = computed(() => parseCohortParams(this.params()));
  protected readonly hasLinkFilters = computed(() => Object.keys(this.linkFilters()).length > 0);

  protected readonly report = signal<ExportReport>('cohort');
  protected readonly format = signal<ExportFormat>('csv');
  private readonly sourceChoice = signal<Source | null>(null);
  protected readonly source = computed<Source>(() => {
    const chosen = this.sourceChoice();
    if (chosen === 'link' && this.hasLinkFilters()) return 'link';
    if (chosen && chosen !== 'link' && (chosen === 'all' || this.cohorts().some((c) => c.id === chosen)))
      return chosen;
    return this.hasLinkFilters() ? 'link' : 'all';
  });
  protected readonly includeDemographics = signal(false);
  protected readonly outcome = signal<Outcome>('performance');
  protected readonly groupBy = signal<FairnessGrouping>('sex');
  protected readonly takesOutcome = computed(() => takesOption(this.report(), 'outcome'));
  protected readonly takesGroupBy = computed(() => takesOption(this.report(), 'groupBy'));
  protected readonly when = signal<When>('now');
  protected readonly scheduleName = signal('');
  protected readonly submitting = signal(false);
  protected readonly formError = signal('');
  protected readonly formMessage = signal('');

  protected readonly sourceText = computed(() => {
    const source = this.source();
    if (source === 'all') return 'All applications';
    if (source === 'link') return describeFilters(this.linkFilters());
    const cohort = this.cohorts().find((c) => c.id === source);
    return cohort ? describeFilters(cohort.filters) : '';
  });
  /** The chosen rows' filters, for the check below. */
  private readonly sourceFilters = computed(() => {
    const source = this.source();
    if (source === 'all') return {};
    if (source === 'link') return this.linkFilters();
    return this.cohorts().find((c) => c.id === source)?.filters ?? {};
  });
  /** A table refuses filters it does not take: say so before the request, not after. */
  protected readonly refused = computed(() => {
    const keys = refusedKeys(this.report(), this.sourceFilters());
    return keys.length > 0
      ? `The ${REPORT_LABELS[this.report()].toLowerCase()} does not filter by ${describeKeys(keys)}. Choose other rows, or the cohort rows report, which takes every filter.`
      : '';
  });
  protected readonly whenHint = computed(() => {
    const when = this.when();
    return when === 'now' ? '' : FREQUENCY_HINTS[when];
  });
  protected readonly namePlaceholder = computed(() => {
    const when = this.when();
    return when === 'now' ? '' : defaultScheduleName(this.report(), this.format(), when);
  });

  // ---------- Exports (history and running) ----------

  private readonly listState = toSignal(
    this.refreshExports$.pipe(
      startWith(undefined),
      switchMap(() => loadState(this.api.exports())),
    ),
    { initialValue: LOADING as LoadState<ExportSummary[]> },
  );
  /** The latest answer of each export polled while it runs (GET /exports/{id}). */
  private readonly live = signal<Record<string, ExportSummary>>({});
  protected readonly exportsList = computed(() => {
    const live = this.live();
    return (dataOf(this.listState()) ?? []).map((item) => live[item.id] ?? item);
  });
  protected readonly exportsLoading = computed(() => this.listState().status === 'loading');
  protected readonly exportsError = computed(() => errorOf(this.listState()));
  protected readonly running = computed(() =>
    this.exportsList().filter((item) => isActiveExport(item.status)),
  );
  protected readonly retention = computed(() => {
    for (const item of this.exportsList()) {
      const text = retentionText(item);
      if (text) return text;
    }
    return null;
  });

  // ---------- Schedules ----------

  private readonly scheduleState = toSignal(
    this.refreshSchedules$.pipe(
      startWith(undefined),
      switchMap(() => loadState(this.api.schedules())),
    ),
    { initialValue: LOADING as LoadState<ExportSchedule[]> },
  );
  protected readonly schedules = computed(() => dataOf(this.scheduleState()) ?? []);
  protected readonly schedulesLoading = computed(() => this.scheduleState().status === 'loading');
  protected readonly schedulesError = computed(() => errorOf(this.scheduleState()));
  protected readonly confirmingScheduleDelete = signal<string | null>(null);
  protected readonly scheduleMessage = signal('');

  constructor() {
    this.api.loadCohorts(true);
    const report = this.params().get('report');
    if (report && Object.hasOwn(REPORT_LABELS, report)) this.report.set(report as ExportReport);
    const outcome = this.params().get('outcome');
    if (outcome && Object.hasOwn(OUTCOME_LABELS, outcome)) this.outcome.set(outcome as Outcome);
    // Keep every queued or running export moving: each is polled every second until it ends.
    this.refreshExports$
      .pipe(
        startWith(undefined),
        switchMap(() => timer(0, 1500)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(() => {
        for (const item of dataOf(this.listState()) ?? []) {
          if (isActiveExport(item.status)) this.track(item.id);
        }
      });
  }

  protected cohortName(id: string | null): string | null {
    return id ? (this.cohorts().find((c) => c.id === id)?.name ?? null) : null;
  }

  /** The rows and options of an export or schedule: "LinkedIn applicants · Successful hire". */
  protected whatText(item: ExportSummary | ExportSchedule): string {
    const rows = this.cohortName(item.cohortId) ?? describeFilters(item.filters);
    const options = this.optionText(item);
    return options ? `${rows} · ${options}` : rows;
  }

  /** "Successful hire · by sex" for the tables that take an outcome or grouping. */
  protected optionText(item: {
    outcome?: string | null;
    options?: { groupBy?: string; criterion?: string } | null;
  }): string {
    const parts: string[] = [];
    const outcome = item.outcome;
    if (outcome && Object.hasOwn(OUTCOME_LABELS, outcome)) parts.push(OUTCOME_LABELS[outcome as Outcome]);
    const groupBy = item.options?.groupBy;
    if (groupBy && Object.hasOwn(GROUPING_LABELS, groupBy))
      parts.push(`by ${GROUPING_LABELS[groupBy as FairnessGrouping].toLowerCase()}`);
    const criterion = item.options?.criterion;
    if (criterion) parts.push(criterion === 'composite' ? 'composite' : `criterion ${criterion}`);
    return parts.join(' · ');
  }

  protected sizeText(item: ExportSummary): string {
    return item.status === 'completed' ? formatBytes(item.bytes) : '—';
  }

  protected progressText(item: ExportSummary): string {
    return describeExportProgress(item);
  }

  // ---------- Cohort actions ----------

  protected startRename(cohort: Cohort): void {
    this.cohortMessage.set('');
    this.cohortError.set('');
    this.confirmingDelete.set(null);
    this.renaming.set(cohort.id);
    this.renameValue.set(cohort.name);
    setTimeout(() => this.renameInput()?.nativeElement.select());
  }

  protected saveRename(cohort: Cohort): void {
    const name = this.renameValue().trim();
    if (!name) {
      this.cohortError.set('Give the cohort a name.');
      return;
    }
    if (name === cohort.name) {
      this.renaming.set(null);
      return;
    }
    this.api.renameCohort(cohort.id, name).subscribe({
      next: () => {
        this.renaming.set(null);
        this.cohortError.set('');
        this.cohortMessage.set(`Renamed "${cohort.name}" to "${name}".`);
      },
      error: (error: unknown) =>
        this.cohortError.set(`The cohort was not renamed. ${describeHttpError(error)}`),
    });
  }

  protected deleteCohort(cohort: Cohort): void {
    this.api.deleteCohort(cohort.id).subscribe({
      next: () => {
        this.confirmingDelete.set(null);
        this.cohortError.set('');
        this.cohortMessage.set(`Deleted the cohort "${cohort.name}". Files already made from it are kept.`);
        if (this.sourceChoice() === cohort.id) this.sourceChoice.set(null);
      },
      error: (error: unknown) =>
        this.cohortError.set(`The cohort was not deleted. ${describeHttpError(error)}`),
    });
  }

  protected exportCohort(cohort: Cohort): void {
    this.sourceChoice.set(cohort.id);
    this.report.set('cohort');
    document.getElementById('export-report')?.focus();
  }

  // ---------- New export or schedule ----------

  protected setSource(value: string): void {
    this.sourceChoice.set(value);
  }

  protected setReport(value: string): void {
    this.report.set(value as ExportReport);
    if (value !== 'cohort') this.includeDemographics.set(false);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.formError.set('');
    this.formMessage.set('');
    const source = this.source();
    const cohortId = source !== 'all' && source !== 'link' ? source : undefined;
    if (this.refused()) {
      this.formError.set(this.refused());
      return;
    }
    const report = this.report();
    const request: ExportRequest = {
      report,
      format: this.format(),
      ...(cohortId ? { cohortId } : { filters: source === 'link' ? this.linkFilters() : {} }),
      includeDemographics: report === 'cohort' && this.includeDemographics(),
      ...(takesOption(report, 'outcome') ? { outcome: this.outcome() } : {}),
      ...(takesOption(report, 'groupBy') ? { groupBy: this.groupBy() } : {}),
    };
    const when = this.when();
    this.submitting.set(true);
    if (when === 'now') {
      this.api.createExport(request).subscribe({
        next: ({ exportId, deduplicated }) => {
          this.submitting.set(false);
          this.formMessage.set(
            deduplicated
              ? 'The same export of the same data already exists: it is listed below.'
              : 'Export started. Its progress is shown below.',
          );
          this.track(exportId);
          this.refreshExports$.next();
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          this.formError.set(`The export was not started. ${this.explain(error)}`);
        },
      });
      return;
    }
    const name = this.scheduleName().trim() || defaultScheduleName(request.report, request.format, when);
    this.api.createSchedule({ ...request, name, frequency: when }).subscribe({
      next: (schedule) => {
        this.submitting.set(false);
        this.scheduleName.set('');
        this.formMessage.set(
          `Scheduled "${schedule.name}": ${FREQUENCY_LABELS[when].toLowerCase()} ${FREQUENCY_HINTS[when]}.`,
        );
        this.refreshSchedules$.next();
      },
      error: (error: unknown) => {
        this.submitting.set(false);
        this.formError.set(`The schedule was not created. ${this.explain(error)}`);
      },
    });
  }

  protected refreshExports(): void {
    this.refreshExports$.next();
  }

  protected deleteSchedule(schedule: ExportSchedule): void {
    this.api.deleteSchedule(schedule.id).subscribe({
      next: () => {
        this.confirmingScheduleDelete.set(null);
        this.scheduleMessage.set(
          `Deleted the schedule "${schedule.name}". Its files are kept until they expire.`,
        );
        this.refreshSchedules$.next();
      },
      error: (error: unknown) =>
        this.scheduleMessage.set(`The schedule was not deleted. ${describeHttpError(error)}`),
    });
  }

  private explain(error: unknown): string {
    if (error instanceof HttpErrorResponse && error.status === 404 && this.when() !== 'now') {
      return 'This server does not offer scheduled exports yet.';
    }
    return describeHttpError(error);
  }

  /** Polls one export every second while it is queued or running; the list is refreshed when it ends. */
  private track(id: string): void {
    if (this.polling.has(id)) return;
    this.polling.add(id);
    this.api
      .watch(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (summary) => this.live.update((live) => ({ ...live, [id]: summary })),
        complete: () => {
          this.polling.delete(id);
          this.refreshExports$.next();
          this.refreshSchedules$.next();
        },
        error: () => this.polling.delete(id),
      });
  }
}
