import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { CriterionValidityDetail, ValidityReport } from '@hiresignal/shared';
import { Subject, combineLatest, distinctUntilChanged, map, startWith, switchMap } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { type BarItem, BarChartComponent } from '../../ui/bar-chart/bar-chart.component';
import { ForestPlotComponent } from '../../ui/forest-plot/forest-plot.component';
import { type ForestRow, forestValues, niceDomain, tickStepFor } from '../../ui/forest-plot/forest-scale';
import { type LineSeries, LineChartComponent } from '../../ui/line-chart/line-chart.component';
import {
  CORRECTIONS,
  type Correction,
  DEFAULT_FILTERS,
  OUTCOME_NOUNS,
  isBinaryOutcome,
  parseCorrection,
  parseFilters,
  sameFilters,
  toApiParams,
} from '../analytics/analytics-filters';
import { FilterBarComponent } from '../analytics/filter-bar.component';
import {
  criterionLabel,
  formatCorrelation,
  formatInterval,
  formatNumber,
  formatNumberInterval,
  formatPValue,
  formatPercent,
  insufficientNote,
} from './validity-format';
import {
  correctedInterval,
  correctedR,
  correctionName,
  normalizeValidity,
  sampleNeeded,
  sortByMeasure,
} from './validity-report';
import { TermComponent } from '../../ui/term/term.component';
import { ValidityPlainComponent } from '../overview/plain-headlines.component';
import { ValidityTableComponent } from './validity-table.component';

/** A quarter's r from fewer hires than this swings too widely to plot; the table still shows it. */
export const MIN_COHORT_POINT = 10;

@Component({
  selector: 'hs-validity',
  imports: [
    BarChartComponent,
    ForestPlotComponent,
    LineChartComponent,
    FilterBarComponent,
    ValidityTableComponent,
    ValidityPlainComponent,
    TermComponent,
  ],
  templateUrl: './validity.component.html',
  // Chart and table side by side need about 1,100 px of content width: the table's six columns (Sample last) do not
  // fit half of a 1280 px window beside the navigation, so below 1440 px the table goes under the chart.
  styles: `
    @media (max-width: 1439px) {
      .split.validity-split {
        grid-template-columns: minmax(0, 1fr);
      }
    }
    /* One column per criterion plus quarter, hires and composite: compact cells keep it inside the card. */
    .cohort-table {
      font-size: 0.84rem;
    }
    .cohort-table th,
    .cohort-table td {
      padding-left: 0.4rem;
      padding-right: 0.4rem;
    }
    .cohort-table .badge {
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ValidityComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFilters),
    distinctUntilChanged(sameFilters),
  );

  protected readonly filters = toSignal(this.filters$, { initialValue: DEFAULT_FILTERS });
  private readonly params = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly correction = computed(() => parseCorrection(this.params().get('correction')));

  protected readonly state = toSignal(
    combineLatest([this.filters$, this.retry$.pipe(startWith(undefined))]).pipe(
      switchMap(([filters]) =>
        toLoadState(
          this.api.validity(toApiParams(filters)).pipe(map((raw) => normalizeValidity(raw, filters.outcome))),
        ),
      ),
    ),
    { initialValue: LOADING as LoadState<ValidityReport> },
  );

  protected readonly corrections = CORRECTIONS;
  protected readonly data = computed(() => dataOf(this.state()));
  protected readonly errorMessage = computed(() => errorOf(this.state()));
  protected readonly binary = computed(() => isBinaryOutcome(this.filters().outcome));
  protected readonly outcomeNoun = computed(() => OUTCOME_NOUNS[this.filters().outcome]);
  protected readonly settings = computed(() => this.data()?.settings ?? null);
  private readonly reliability = computed(() => this.settings()?.criterionReliability ?? 0.52);
  protected readonly correctionText = computed(() => correctionName(this.correction(), this.reliability()));

  /** Sorted by the measure on show: observed r, or the chosen corrected r. */
  protected readonly rows = computed(() => {
    const correction = this.correction();
    return sortByMeasure(this.data()?.criteria ?? [], (row) => correctedR(row, correction) ?? row.r);
  });

  protected readonly composite = computed(() => this.data()?.composite ?? null);

  protected readonly isEmpty = computed(() => {
    const rows = this.rows();
    return rows.length === 0 || rows.every((row) => row.n === 0);
  });

  // ---------- Bar chart (observed view) ----------

  private readonly minimumSample = computed(() => this.settings()?.minimumSample ?? 30);

  /** Insufficient criteria are hatched and say so with the sample they need, not only by colour. */
  protected readonly chartData = computed<BarItem[]>(() => {
    const needed = this.minimumSample();
    return sortByMeasure(this.rows(), (row) => row.r).map((row) => {
      const note = row.sufficient ? `n = ${row.n}` : insufficientNote(row.n, needed);
      return {
        name: row.label,
        value: row.r ?? 0,
        muted: !row.sufficient,
        note,
        ariaLabel: `${row.label}: observed r ${formatCorrelation(row.r)}, ${note}`,
      };
    });
  });

  protected readonly chartKeys = computed<[string, string]>(() => [
    'Enough hires',
    `Insufficient data (fewer than ${this.minimumSample()} hires)`,
  ]);

  protected readonly insufficientCount = computed(() => this.rows().filter((row) => !row.sufficient).length);

  // ---------- Forest plot ----------

  protected readonly forestRows = computed<ForestRow[]>(() => {
    const correction = this.correction();
    const toRow = (row: CriterionValidityDetail, composite: boolean): ForestRow => {
      const interval = correctedInterval(row, correction);
      const corrected = correction === 'none' ? null : correctedR(row, correction);
      const label = composite ? 'Composite' : row.label;
      const status = row.sufficient ? '' : ', insufficient data';
      const observedText = `observed r ${formatCorrelation(row.r)}, 95% interval ${formatInterval(row.ciLow, row.ciHigh)}`;
      const correctedText =
        correction === 'none'
          ? ''
          : `; ${correction === 'range' ? 'range-restriction corrected r' : 'operational validity'} ${formatCorrelation(corrected)}${
              interval ? `, interval ${formatInterval(interval[0], interval[1])}` : ''
            }`;
      return {
        id: composite ? '__composite' : row.criterion,
        label,
        note: row.sufficient ? `n = ${row.n}` : insufficientNote(row.n, this.minimumSample()),
        primary: { value: row.r, ciLow: row.ciLow, ciHigh: row.ciHigh },
        secondary:
          correction === 'none'
            ? null
            : { value: corrected, ciLow: interval?.[0] ?? null, ciHigh: interval?.[1] ?? null },
        muted: !row.sufficient,
        emphasis: composite,
        valueText:
          correction === 'none'
            ? formatCorrelation(row.r)
            : `${formatCorrelation(corrected)} (obs. ${formatCorrelation(row.r)})`,
        ariaLabel: `${label}, n = ${row.n}${status}: ${observedText}${correctedText}`,
      };
    };
    const rows = this.rows().map((row) => toRow(row, false));
    const composite = this.composite();
    return composite ? [...rows, toRow(composite, true)] : rows;
  });

  protected readonly forestDomain = computed(() => niceDomain(forestValues(this.forestRows()), 0.2, [-1, 1]));

  protected readonly correctionShort = computed(
    () => CORRECTIONS.find((option) => option.value === this.correction())?.short ?? 'Observed r',
  );

  protected readonly summaryText = computed(() => {
    const data = this.data();
    if (!data) {
      return '';
    }
    const pool =
      data.nApplicants > 0
        ? `${data.nApplicants} scored applicants, ${data.nHires} of them hired`
        : `${data.nHires} hires`;
    const recent =
      data.nExcludedTooRecent > 0
        ? ` ${data.nExcludedTooRecent} hires are too recent to judge and are left out of n.`
        : '';
    return `Applicant pool: ${pool}.${recent}`;
  });

  protected readonly rubricText = computed(() => {
    const rubric = this.data()?.rubric;
    return rubric
      ? `Rubric: ${rubric.name}, version ${rubric.version}, scored ${rubric.scaleMin} to ${rubric.scaleMax}.`
      : null;
  });

  // ---------- Drill-down ----------

  protected readonly selectedCriterion = computed(() => {
    const wanted = this.params().get('criterion');
    const rows = this.rows();
    return rows.find((row) => row.criterion === wanted) ?? (rows.length > 0 ? rows[0] : null);
  });

  protected readonly levelRows = computed<ForestRow[]>(() => {
    const row = this.selectedCriterion();
    const binary = this.binary();
    const fmt = (value: number | null) => (binary ? formatPercent(value) : formatNumber(value));
    return (row?.byScoreLevel ?? []).map((level) => ({
      id: String(level.score),
      label: `Score ${level.score}`,
      note: `n = ${level.n}`,
      primary: { value: level.mean, ciLow: level.ciLow, ciHigh: level.ciHigh },
      muted: level.n < 5,
      valueText: fmt(level.mean),
      ariaLabel: `Score ${level.score}, n = ${level.n}: mean outcome ${fmt(level.mean)}, 95% interval ${
        binary
          ? `${fmt(level.ciLow)} to ${fmt(level.ciHigh)}`
          : formatNumberInterval(level.ciLow, level.ciHigh)
      }`,
    }));
  });

  protected readonly levelDomain = computed<[number, number]>(() => {
    if (this.binary()) {
      return [0, 1];
    }
    const threshold = this.settings()?.successThreshold ?? 4;
    return niceDomain(forestValues(this.levelRows()), 1, [0, Math.max(5, threshold + 1)], []);
  });

  protected readonly levelFormat = computed(() =>
    this.binary() ? (value: number) => formatPercent(value) : (value: number) => formatNumber(value, 0),
  );

  // ---------- Regression ----------

  protected readonly regression = computed(() => this.data()?.regression ?? null);

  protected readonly regressionPredictors = computed(() =>
    [...(this.regression()?.predictors ?? [])].sort((a, b) => b.recommendedWeight - a.recommendedWeight),
  );

  /** Criteria whose beta is not positive: 0% and named (an API from before the rule sends no flag). */
  protected readonly notRecommended = computed(() =>
    this.regressionPredictors().filter((p) => p.recommended === false),
  );

  protected readonly weightData = computed<BarItem[]>(() =>
    this.regressionPredictors().map((p) => {
      const name = this.labelFor(p.criterion);
      const dropped = p.recommended === false;
      const note = dropped ? `not recommended: β ${formatCorrelation(p.beta)}` : undefined;
      return {
        name,
        value: p.recommendedWeight,
        muted: dropped,
        note,
        ariaLabel: `${name}: recommended weight ${this.formatWeight(p.recommendedWeight)}${note ? `, ${note}` : ''}`,
      };
    }),
  );

  /** Weights to act on: enough complete hires and a model that predicts (else the advice is equal weights). */
  protected readonly weightsReliable = computed(() => {
    const reg = this.regression();
    return reg !== null && reg.n >= this.minimumSample() && reg.pValue < 0.05;
  });

  protected readonly notRecommendedNames = computed(() =>
    this.notRecommended()
      .map((p) => this.labelFor(p.criterion))
      .join(', '),
  );

  // ---------- Cohort trend ----------

  protected readonly cohorts = computed(() => this.data()?.byCohort ?? []);

  protected readonly cohortCriteria = computed(() =>
    this.rows().map((row) => ({ key: row.criterion, label: row.label })),
  );

  protected readonly cohortSeries = computed<LineSeries[]>(() => {
    const cohorts = this.cohorts();
    const series: LineSeries[] = this.cohortCriteria().map(({ key, label }) => ({
      name: label,
      series: cohorts.flatMap((cohort) => {
        const cell = cohort.criteria.find((c) => c.criterion === key);
        return cell && cell.r !== null && cell.n >= MIN_COHORT_POINT
          ? [{ name: cohort.cohort, value: cell.r }]
          : [];
      }),
    }));
    series.push({
      name: 'Composite',
      series: cohorts.flatMap((cohort) =>
        cohort.composite.r === null || cohort.composite.n < MIN_COHORT_POINT
          ? []
          : [{ name: cohort.cohort, value: cohort.composite.r }],
      ),
    });
    return series.filter((s) => s.series.length > 0);
  });

  protected readonly cohortNames = computed(() => this.cohorts().map((cohort) => cohort.cohort));

  /** Quarters below the minimum sample: drawn on a hatched band with dashed lines and hollow points. */
  protected readonly mutedCohorts = computed(() =>
    this.cohorts()
      .filter((cohort) => !cohort.sufficient)
      .map((cohort) => cohort.cohort),
  );

  protected readonly cohortMutedLabel = computed(
    () => `Insufficient data: fewer than ${this.minimumSample()} hires with outcomes in the quarter`,
  );

  protected readonly cohortChartLabel = computed(() => {
    const muted = this.mutedCohorts().length;
    const total = this.cohorts().length;
    const insufficient =
      muted === 0
        ? ''
        : `; ${muted === total ? 'every quarter has' : `${muted} of ${total} quarters have`} fewer than ${this.minimumSample()} hires with outcomes, too few to read (insufficient data)`;
    return `Observed r per hire quarter, one line per criterion and the composite${insufficient}. The table below lists every value.`;
  });

  protected labelFor(criterion: string): string {
    return (
      this.data()?.criteria.find((row) => row.criterion === criterion)?.label ?? criterionLabel(criterion)
    );
  }

  protected readonly cohortDomain = computed(() =>
    niceDomain(
      this.cohortSeries().flatMap((series) => series.series.map((item) => Number(item.value))),
      0.2,
      [-1, 1],
    ),
  );

  protected readonly tickStep = tickStepFor;
  protected readonly minCohortPoint = MIN_COHORT_POINT;

  protected cohortCell(cohortIndex: number, criterion: string): string {
    const cell = this.cohorts()[cohortIndex]?.criteria.find((c) => c.criterion === criterion);
    return cell ? `${formatCorrelation(cell.r)} (${cell.n})` : '—';
  }

  protected readonly formatR = formatCorrelation;
  protected readonly formatCi = formatInterval;
  protected readonly formatP = formatPValue;
  protected readonly formatNumber = formatNumber;
  protected readonly formatNumberCi = formatNumberInterval;
  protected readonly formatPercent = formatPercent;
  /** A weight as a whole percentage; a kept criterion's sliver shows as "<1%", not as the 0% of one left out. */
  protected readonly formatWeight = (value: number) =>
    value > 0 && value < 0.005 ? '<1%' : formatPercent(value);
  protected readonly need = sampleNeeded;

  protected setCorrection(value: Correction): void {
    this.navigate({ correction: value === 'none' ? null : value });
  }

  protected selectCriterion(criterion: string): void {
    if (criterion !== '__composite') {
      this.navigate({ criterion });
    }
  }

  protected retry(): void {
    this.retry$.next();
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams,
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}
