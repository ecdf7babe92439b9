import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type {
  CohortFilters,
  ExportFormat,
  ExportReport,
  ExportSummary,
  FairnessGrouping,
  Outcome,
} from '@hiresignal/shared';
import { can } from '../../core/access';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { formatBytes, formatWhen } from '../imports/imports-format';
import { OUTCOME_LABELS } from '../analytics/analytics-filters';
import { type ExportRequest, ExportsApiService } from './exports-api.service';
import {
  REPORT_SHORT,
  STATUS_LABELS,
  describeExportProgress,
  describeFilters,
  downloadUrl,
  progressOf,
  takesOption,
} from './exports-format';

interface Job {
  key: string;
  report: ExportReport;
  format: ExportFormat;
  summary: ExportSummary | null;
  error: string;
}

/**
 * "Download" on an analytics screen: exports the screen's table(s) with its current filters as CSV or XLSX, shows
 * the export's progress inline and offers the file when it is ready. Only roles that may export see it.
 */
@Component({
  selector: 'hs-download-menu',
  imports: [RouterLink],
  template: `
    @if (allowed() && reports().length > 0) {
      <div class="download-menu" data-testid="download-menu">
        <button
          type="button"
          class="button button-ghost"
          data-testid="download-toggle"
          [attr.aria-expanded]="open()"
          [attr.aria-controls]="panelId"
          (click)="open.set(!open())"
        >
          Download <span aria-hidden="true">{{ open() ? '▴' : '▾' }}</span>
        </button>
      </div>
      @if (open()) {
        <div class="download-panel" [id]="panelId" data-testid="download-panel">
          @for (report of reports(); track report) {
            <div class="download-row" role="group" [attr.aria-labelledby]="panelId + '-' + report">
              <span class="download-label" [id]="panelId + '-' + report">{{ labels[report] }} table</span>
              @for (format of formats; track format) {
                <button
                  type="button"
                  class="button button-ghost"
                  [attr.data-testid]="'download-' + report + '-' + format"
                  [attr.aria-label]="'Download the ' + labels[report] + ' table as ' + format.toUpperCase()"
                  (click)="start(report, format)"
                >
                  {{ format.toUpperCase() }}
                </button>
              }
            </div>
          }
          <p class="muted small download-help">
            The file holds this screen's table for {{ filterText() }}. It is written in the background; a link
            to the file appears here when it is ready.
            <a routerLink="/exports" [queryParams]="exportsParams()" data-testid="download-schedule-link"
              >Schedule it or see every file</a
            >
            on Exports.
          </p>
          <ul class="download-jobs" aria-live="polite" data-testid="download-jobs">
            @for (job of jobs(); track job.key) {
              <li data-testid="download-job" [attr.data-status]="job.summary?.status ?? 'starting'">
                <span class="download-job-name"
                  >{{ labels[job.report] }} · {{ job.format.toUpperCase() }}</span
                >
                @if (job.error) {
                  <span class="danger-text" role="alert">The export was not started. {{ job.error }}</span>
                } @else if (job.summary; as s) {
                  @if (s.status === 'completed') {
                    <a
                      [href]="url(s.id)"
                      download
                      data-testid="download-file"
                      [attr.aria-label]="'Download ' + (s.fileName ?? 'the file') + ', ' + size(s.bytes)"
                      >Download {{ s.fileName ?? 'file' }}</a
                    >
                    <span class="muted"
                      >{{ size(s.bytes) }}
                      @if (s.expiresAt) {
                        · kept until {{ when(s.expiresAt) }}
                      }
                    </span>
                  } @else if (s.status === 'failed') {
                    <span class="danger-text">{{ describe(s) }}</span>
                  } @else {
                    <progress
                      [attr.max]="progress(s)?.max ?? null"
                      [attr.value]="progress(s)?.value ?? null"
                      [attr.aria-label]="labels[job.report] + ' export: ' + describe(s)"
                    ></progress>
                    <span>{{ statusLabels[s.status] }} · {{ describe(s) }}</span>
                  }
                } @else {
                  <span class="muted">Starting…</span>
                }
              </li>
            }
          </ul>
        </div>
      }
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .download-menu {
      margin-left: auto;
    }
    .download-panel {
      flex: 1 1 100%;
      min-width: 0;
      border-top: 1px solid var(--border);
      padding-top: 0.75rem;
    }
    .download-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      margin-bottom: 0.5rem;
    }
    .download-label {
      font-weight: 600;
      font-size: 0.9rem;
      min-width: 9rem;
    }
    .download-help {
      margin: 0.25rem 0 0.5rem;
      max-width: 72ch;
    }
    .download-jobs {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.4rem;
    }
    .download-jobs li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem 0.75rem;
      font-size: 0.9rem;
      overflow-wrap: anywhere;
    }
    .download-job-name {
      font-weight: 600;
    }
    .download-jobs progress {
      width: 10rem;
      max-width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DownloadMenuComponent {
  private readonly api = inject(ExportsApiService);
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private static nextId = 0;

  /** The screen's reports (validity; interviewers and reliability; funnel). */
  readonly reports = input.required<readonly ExportReport[]>();
  /** The screen's current filters (only the ones set). */
  readonly filters = input.required<CohortFilters>();
  /** The screen's outcome, for the tables that take one (validity, interviewers, differential validity). */
  readonly outcome = input<Outcome | null>(null);
  /** The fairness screen's grouping and criterion, for the tables that take them. */
  readonly options = input<{ groupBy?: FairnessGrouping; criterion?: string }>({});

  protected readonly panelId = `download-panel-${DownloadMenuComponent.nextId++}`;
  protected readonly formats: readonly ExportFormat[] = ['csv', 'xlsx'];
  protected readonly labels = REPORT_SHORT;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly open = signal(false);
  protected readonly jobs = signal<Job[]>([]);
  protected readonly filterText = computed(() => {
    const text = describeFilters(this.filters());
    const rows = text === 'All applications' ? 'all applications' : `the filters above (${text})`;
    const outcome = this.outcome();
    const usesOutcome = this.reports().some((report) => takesOption(report, 'outcome'));
    return outcome && usesOutcome ? `${rows}, outcome ${OUTCOME_LABELS[outcome].toLowerCase()}` : rows;
  });

  /** Opens Exports with this screen's report and filters chosen in its New export form. */
  protected readonly exportsParams = computed(() => {
    const params: Record<string, string> = { report: this.reports()[0] ?? 'cohort' };
    for (const [key, value] of Object.entries(this.filters())) params[key] = String(value);
    const outcome = this.outcome();
    if (outcome) params['outcome'] = outcome;
    return params;
  });

  protected readonly allowed = computed(() => {
    const role = this.auth.session()?.role;
    return !!role && can(role, 'exports');
  });

  protected readonly describe = describeExportProgress;
  protected readonly progress = progressOf;
  protected readonly url = downloadUrl;
  protected readonly size = formatBytes;
  protected readonly when = formatWhen;

  protected start(report: ExportReport, format: ExportFormat): void {
    const key = `${report}-${format}-${Date.now()}`;
    const job: Job = { key, report, format, summary: null, error: '' };
    // The newest first; older finished ones stay listed so their files can still be downloaded.
    this.jobs.update((list) => [job, ...list].slice(0, 6));
    this.api
      .createExport(this.request(report, format))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ exportId }) => {
          // A deduplicated export may be an earlier one for the same table: one line per export.
          this.jobs.update((list) => list.filter((j) => j.key === key || j.summary?.id !== exportId));
          this.watch(key, exportId);
        },
        error: (error: unknown) => this.patch(key, { error: describeHttpError(error) }),
      });
  }

  /** The export of one table: the screen's filters, and only the options that table takes (others are refused). */
  private request(report: ExportReport, format: ExportFormat): ExportRequest {
    const request: ExportRequest = { report, format, filters: this.filters() };
    const outcome = this.outcome();
    const { groupBy, criterion } = this.options();
    if (outcome && takesOption(report, 'outcome')) request.outcome = outcome;
    if (groupBy && takesOption(report, 'groupBy')) request.groupBy = groupBy;
    if (criterion && takesOption(report, 'criterion')) request.criterion = criterion;
    return request;
  }

  private watch(key: string, exportId: string): void {
    this.api
      .watch(exportId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (summary) => this.patch(key, { summary }),
        error: (error: unknown) => this.patch(key, { error: describeHttpError(error) }),
      });
  }

  private patch(key: string, change: Partial<Job>): void {
    this.jobs.update((list) => list.map((job) => (job.key === key ? { ...job, ...change } : job)));
  }
}
