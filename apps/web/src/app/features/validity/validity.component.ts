import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { JobSummary, ValidityOutcome, ValidityResponse } from '@hiresignal/shared';
import type { DataItem } from '@swimlane/ngx-charts';
import {
  Subject,
  catchError,
  combineLatest,
  distinctUntilChanged,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';
import { ApiService, type ValidityQuery } from '../../core/api.service';
import { describeHttpError } from '../../core/http-error';
import { BarChartComponent } from '../../ui/bar-chart/bar-chart.component';
import { chartLabel, criterionLabel, formatCorrelation, sortByValidity } from './validity-format';
import { ValidityTableComponent } from './validity-table.component';

type LoadState =
  | { status: 'loading' }
  | { status: 'ready'; data: ValidityResponse }
  | { status: 'error'; message: string };

/** Keyed by the shared ValidityOutcome type, so a new outcome in the contract fails to compile here. */
const OUTCOME_LABELS: Record<ValidityOutcome, string> = {
  performance: 'Performance rating',
};

function isOutcome(value: string | null): value is ValidityOutcome {
  return value !== null && Object.hasOwn(OUTCOME_LABELS, value);
}

function parseOutcome(value: string | null): ValidityOutcome {
  return isOutcome(value) ? value : 'performance';
}

function jobLabel(job: JobSummary): string {
  const title = job.title ?? job.jobId;
  return job.department ? `${title} · ${job.department}` : title;
}

@Component({
  selector: 'hs-validity',
  imports: [BarChartComponent, ValidityTableComponent],
  templateUrl: './validity.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ValidityComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly retry$ = new Subject<void>();

  private readonly query$ = this.route.queryParamMap.pipe(
    map(
      (params): ValidityQuery => ({
        outcome: parseOutcome(params.get('outcome')),
        jobId: params.get('jobId') || null,
      }),
    ),
    distinctUntilChanged((a, b) => a.outcome === b.outcome && a.jobId === b.jobId),
  );

  protected readonly query = toSignal(this.query$, {
    initialValue: { outcome: 'performance', jobId: null } as ValidityQuery,
  });

  protected readonly state = toSignal(
    combineLatest([this.query$, this.retry$.pipe(startWith(undefined))]).pipe(
      switchMap(([query]) =>
        this.api.validity(query).pipe(
          map((data): LoadState => ({ status: 'ready', data })),
          catchError((error: unknown) =>
            of<LoadState>({ status: 'error', message: describeHttpError(error) }),
          ),
          startWith<LoadState>({ status: 'loading' }),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as LoadState },
  );

  private readonly jobs = toSignal(this.api.jobs().pipe(catchError(() => of([] as JobSummary[]))), {
    initialValue: [] as JobSummary[],
  });

  protected readonly outcomes = Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }));

  protected readonly jobOptions = computed(() => {
    const options = this.jobs().map((job) => ({ value: job.jobId, label: jobLabel(job) }));
    const selected = this.query().jobId;
    if (selected && !options.some((option) => option.value === selected)) {
      options.unshift({ value: selected, label: selected });
    }
    return options;
  });

  protected readonly data = computed(() => {
    const state = this.state();
    return state.status === 'ready' ? state.data : null;
  });

  protected readonly errorMessage = computed(() => {
    const state = this.state();
    return state.status === 'error' ? state.message : '';
  });

  protected readonly rows = computed(() => sortByValidity(this.data()?.criteria ?? []));

  protected readonly isEmpty = computed(() => {
    const rows = this.rows();
    return rows.length === 0 || rows.every((row) => row.n === 0);
  });

  protected readonly chartData = computed<DataItem[]>(() =>
    this.rows().map((row) => ({
      name: chartLabel(row),
      value: row.r ?? 0,
      extra: { criterion: row.criterion, sufficient: row.sufficient },
    })),
  );

  protected readonly mutedNames = computed(() =>
    this.rows()
      .filter((row) => !row.sufficient)
      .map((row) => chartLabel(row)),
  );

  protected readonly insufficientCount = computed(() => this.rows().filter((row) => !row.sufficient).length);

  /** One plain sentence naming the best and weakest predictor among criteria with enough data. */
  protected readonly headline = computed(() => {
    const trusted = this.rows().filter((row) => row.sufficient && row.r !== null);
    if (trusted.length === 0) {
      return null;
    }
    const best = trusted[0];
    const worst = trusted[trusted.length - 1];
    const bestText = `${criterionLabel(best.criterion)} predicts performance best (r = ${formatCorrelation(best.r)})`;
    if (trusted.length === 1) {
      return `${bestText}.`;
    }
    return `${bestText}; ${criterionLabel(worst.criterion)} predicts it least (r = ${formatCorrelation(worst.r)}).`;
  });

  protected readonly rubricText = computed(() => {
    const rubric = this.data()?.rubric;
    return rubric
      ? `Rubric: ${rubric.name}, version ${rubric.version}, scored ${rubric.scaleMin} to ${rubric.scaleMax}.`
      : null;
  });

  protected readonly formatR = formatCorrelation;

  protected setJob(value: string): void {
    this.navigate({ outcome: this.query().outcome, jobId: value || null });
  }

  protected setOutcome(value: string): void {
    this.navigate({ outcome: parseOutcome(value), jobId: this.query().jobId });
  }

  protected retry(): void {
    this.retry$.next();
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
