import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import type { InterviewersReport, ReliabilityReport } from '@hiresignal/shared';
import { Subject, combineLatest, distinctUntilChanged, map, startWith, switchMap } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { ForestPlotComponent } from '../../ui/forest-plot/forest-plot.component';
import { TermComponent } from '../../ui/term/term.component';
import { type ForestRow, forestValues, niceDomain, tickStepFor } from '../../ui/forest-plot/forest-scale';
import {
  DEFAULT_FILTERS,
  OUTCOME_NOUNS,
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
  formatPercent,
  formatSigned,
} from '../validity/validity-format';
import {
  iccWord,
  interviewerLabel,
  leniencyVerdict,
  panelText,
  sortByLeniency,
  sortByReliability,
} from './interviewers-format';

@Component({
  selector: 'hs-interviewers',
  imports: [ForestPlotComponent, FilterBarComponent, TermComponent],
  templateUrl: './interviewers.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InterviewersComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFilters),
    distinctUntilChanged(sameFilters),
  );
  protected readonly filters = toSignal(this.filters$, { initialValue: DEFAULT_FILTERS });
  private readonly request$ = combineLatest([this.filters$, this.retry$.pipe(startWith(undefined))]);

  protected readonly state = toSignal(
    this.request$.pipe(switchMap(([filters]) => toLoadState(this.api.interviewers(toApiParams(filters))))),
    { initialValue: LOADING as LoadState<InterviewersReport> },
  );

  /** Reliability does not depend on the outcome, so it reloads only when another filter changes. */
  protected readonly reliabilityState = toSignal(
    this.request$.pipe(
      map(([filters]) => toApiParams(filters, false)),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      switchMap((params) => toLoadState(this.api.reliability(params))),
    ),
    { initialValue: LOADING as LoadState<ReliabilityReport> },
  );

  protected readonly data = computed(() => dataOf(this.state()));
  protected readonly errorMessage = computed(() => errorOf(this.state()));
  protected readonly reliability = computed(() => dataOf(this.reliabilityState()));
  protected readonly reliabilityError = computed(() => errorOf(this.reliabilityState()));
  protected readonly outcomeNoun = computed(() => OUTCOME_NOUNS[this.filters().outcome]);

  protected readonly rows = computed(() => sortByLeniency(this.data()?.interviewers ?? []));

  protected readonly counts = computed(() => {
    const verdicts = this.rows().map(leniencyVerdict);
    return {
      lenient: verdicts.filter((v) => v === 'lenient').length,
      harsh: verdicts.filter((v) => v === 'harsh').length,
      total: verdicts.length,
    };
  });

  protected readonly headline = computed(() => {
    const { lenient, harsh, total } = this.counts();
    if (total === 0) {
      return null;
    }
    if (lenient + harsh === 0) {
      return `All ${total} interviewers score in line with their co-panelists: no one is clearly more lenient or harsher.`;
    }
    const parts = [];
    if (lenient > 0) {
      parts.push(`${lenient} ${lenient === 1 ? 'scores' : 'score'} more leniently`);
    }
    if (harsh > 0) {
      parts.push(`${harsh} more harshly`);
    }
    return `Of ${total} interviewers, ${parts.join(' and ')} than their co-panelists (the whole 95% interval on one side of zero).`;
  });

  protected readonly leniencyRows = computed<ForestRow[]>(() =>
    this.rows().map((row) => {
      const l = row.leniency;
      const verdict = leniencyVerdict(row);
      const verdictText =
        verdict === 'lenient'
          ? ', more lenient than co-panelists'
          : verdict === 'harsh'
            ? ', harsher than co-panelists'
            : verdict === 'calibrated'
              ? ', in line with co-panelists'
              : ', not enough shared panels to tell';
      const name = interviewerLabel(row);
      return {
        id: row.interviewerId,
        label: name,
        note: `${row.interviews} interviews`,
        primary: { value: l?.value ?? null, ciLow: l?.ciLow ?? null, ciHigh: l?.ciHigh ?? null },
        muted: verdict === 'unknown' || verdict === 'calibrated',
        valueText: formatSigned(l?.value),
        ariaLabel: `${name}: leniency ${formatSigned(l?.value)} score points, 95% interval ${formatNumberInterval(
          l?.ciLow,
          l?.ciHigh,
        )}${verdictText}`,
      };
    }),
  );

  protected readonly leniencyDomain = computed(() => {
    const domain = niceDomain(forestValues(this.leniencyRows()), 0.25, [-3, 3]);
    const edge = Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
    return [-edge, edge] as [number, number];
  });

  protected readonly reliabilityRows = computed(() => sortByReliability(this.reliability()?.criteria ?? []));

  protected readonly iccRows = computed<ForestRow[]>(() =>
    this.reliabilityRows().map((row) => {
      const label = row.label || criterionLabel(row.criterion);
      return {
        id: row.criterion,
        label,
        note: `${row.nCandidates} candidates`,
        primary: {
          value: row.icc11?.value ?? null,
          ciLow: row.icc11?.ciLow ?? null,
          ciHigh: row.icc11?.ciHigh ?? null,
        },
        muted: row.icc11 === null,
        valueText: formatCorrelation(row.icc11?.value),
        ariaLabel: `${label}: single-interviewer reliability ICC(1,1) ${formatCorrelation(row.icc11?.value)}, 95% interval ${formatInterval(
          row.icc11?.ciLow,
          row.icc11?.ciHigh,
        )}, ${iccWord(row.icc11?.value) || 'not computed'}`,
      };
    }),
  );

  /** Display names by id, for every place an id would otherwise show (the reliability panels too). */
  private readonly names = computed(
    () => new Map((this.data()?.interviewers ?? []).map((row) => [row.interviewerId, interviewerLabel(row)])),
  );

  protected readonly panels = computed(() => {
    const names = this.names();
    return this.reliabilityRows().flatMap((row) => {
      const text = panelText(row.twoWay, (id) => names.get(id) ?? id);
      return text
        ? [{ criterion: row.criterion, label: row.label || criterionLabel(row.criterion), text }]
        : [];
    });
  });

  protected readonly verdict = leniencyVerdict;
  protected readonly nameOf = interviewerLabel;
  protected readonly iccWord = iccWord;
  protected readonly tickStep = tickStepFor;
  protected readonly signed = (value: number) => formatSigned(value);
  protected readonly formatR = formatCorrelation;
  protected readonly formatCi = formatInterval;
  protected readonly formatNumber = formatNumber;
  protected readonly formatNumberCi = formatNumberInterval;
  protected readonly formatSigned = formatSigned;
  protected readonly formatPercent = formatPercent;
  protected readonly criterionLabel = criterionLabel;

  protected retry(): void {
    this.retry$.next();
  }
}
