import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  AdverseImpactReport,
  AdverseImpactStagesReport,
  BiasAuditReport,
  DifferentialValidityReport,
  Outcome,
} from '@hiresignal/shared';
import { Subject, distinctUntilChanged, map } from 'rxjs';
import { LOADING, type LoadState, dataOf, errorOf } from '../../core/load-state';
import { ForestPlotComponent } from '../../ui/forest-plot/forest-plot.component';
import { type ForestRow, forestValues, niceDomain, tickStepFor } from '../../ui/forest-plot/forest-scale';
import { TermComponent } from '../../ui/term/term.component';
import { OUTCOME_LABELS, OUTCOME_NOUNS } from '../analytics/analytics-filters';
import { formatCorrelation, formatInterval } from '../validity/validity-format';
import { loadCriteria, loadReport } from './fairness-data';
import { FairnessFilterBarComponent } from './fairness-filter-bar.component';
import {
  NO_FAIRNESS_FILTERS,
  adverseImpactParams,
  biasAuditParams,
  cohortParams,
  differentialValidityParams,
  parseFairnessFilters,
  sameFairnessFilters,
  stagesParams,
} from './fairness-filters';
import {
  GROUPING_NOUNS,
  auditSummary,
  auditTables,
  criterionName,
  decisionLabel,
  formatCount,
  formatP,
  formatRatio,
  formatStat,
  groupRows,
  heatCell,
  listInWords,
  significanceWord,
  suppressedText,
} from './fairness-format';
import { AuditTableComponent, SelectionTableComponent } from './fairness-tables.component';
import { ImpactChartComponent } from './impact-chart.component';

@Component({
  selector: 'hs-fairness',
  imports: [
    AuditTableComponent,
    FairnessFilterBarComponent,
    ForestPlotComponent,
    ImpactChartComponent,
    RouterLink,
    SelectionTableComponent,
    TermComponent,
  ],
  templateUrl: './fairness.component.html',
  styles: `
    .figures {
      display: grid;
      /* auto-fit: the four figures share the row instead of leaving empty tracks that squeeze them. */
      grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
      gap: 1rem;
      margin: 0 0 1rem;
      max-width: 56rem;
    }
    .figures strong {
      display: block;
      /* Small enough on a phone for "suppressed" to fit its column. */
      font-size: clamp(1.1rem, 4vw, 1.4rem);
    }
    .explain {
      font-size: 0.88rem;
      background: var(--surface-muted);
      border-radius: 6px;
      padding: 0.75rem 1rem;
      margin: 0 0 1rem;
      max-width: 90ch;
    }
    .explain ul {
      margin: 0.25rem 0 0;
      padding-left: 1.1rem;
    }
    .explain li + li {
      margin-top: 0.25rem;
    }
    .table-title {
      font-weight: 600;
      font-size: 0.95rem;
      margin: 1rem 0 0.5rem;
    }
    .heat tbody th,
    .heat thead th:first-child {
      position: sticky;
      left: 0;
      z-index: 1;
      background: var(--surface);
    }
    .heat thead th:first-child {
      background: var(--surface-muted);
    }
    .heat thead th {
      white-space: normal;
      min-width: 5.5rem;
      vertical-align: bottom;
    }
    .heat td {
      text-align: center;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .heat .tone-flag {
      background: #fbd5d0;
      color: #7a1a10;
      font-weight: 700;
    }
    .heat .tone-near {
      background: #fff1d6;
    }
    .heat .tone-ok {
      background: #e4f4ea;
    }
    .heat .tone-none {
      color: var(--text-muted);
      font-size: 0.8rem;
    }
    /* The forest plot on a phone: the group's name above its row, so the plot keeps the width. */
    @media (max-width: 560px) {
      .dv-forest ::ng-deep .forest-row,
      .dv-forest ::ng-deep .forest-axis {
        grid-template-columns: minmax(0, 1fr) 3rem;
        row-gap: 0;
      }
      .dv-forest ::ng-deep .forest-label {
        grid-column: 1 / -1;
        padding-top: 0.25rem;
      }
      .dv-forest ::ng-deep .forest-axis > span:first-child {
        display: none;
      }
    }
    .tests {
      margin: 0.75rem 0 0;
      padding-left: 1.1rem;
    }
    .audit-grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr));
      gap: 1rem 1.25rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FairnessComponent {
  private readonly http = inject(HttpClient);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFairnessFilters),
    distinctUntilChanged(sameFairnessFilters),
  );
  protected readonly filters = toSignal(this.filters$, { initialValue: NO_FAIRNESS_FILTERS });
  protected readonly criteria = toSignal(loadCriteria(this.http), { initialValue: [] as string[] });

  protected readonly impactState = toSignal(
    loadReport<AdverseImpactReport>(
      this.http,
      'adverse-impact',
      this.filters$,
      adverseImpactParams,
      this.retry$,
    ),
    { initialValue: LOADING as LoadState<AdverseImpactReport> },
  );
  protected readonly stagesState = toSignal(
    loadReport<AdverseImpactStagesReport>(
      this.http,
      'adverse-impact/stages',
      this.filters$,
      stagesParams,
      this.retry$,
    ),
    { initialValue: LOADING as LoadState<AdverseImpactStagesReport> },
  );
  protected readonly auditState = toSignal(
    loadReport<BiasAuditReport>(this.http, 'bias-audit', this.filters$, biasAuditParams, this.retry$),
    { initialValue: LOADING as LoadState<BiasAuditReport> },
  );
  protected readonly validityState = toSignal(
    loadReport<DifferentialValidityReport>(
      this.http,
      'differential-validity',
      this.filters$,
      differentialValidityParams,
      this.retry$,
    ),
    { initialValue: LOADING as LoadState<DifferentialValidityReport> },
  );

  protected readonly errorOf = errorOf;
  protected readonly formatCount = formatCount;
  protected readonly formatP = formatP;
  protected readonly formatStat = formatStat;
  protected readonly formatR = formatCorrelation;
  protected readonly formatInterval = formatInterval;
  protected readonly decisionLabel = decisionLabel;
  protected readonly suppressedText = suppressedText;
  protected readonly significanceWord = significanceWord;
  protected readonly outcomes = (Object.keys(OUTCOME_LABELS) as Outcome[]).map((value) => ({
    value,
    label: OUTCOME_LABELS[value],
  }));

  protected readonly groupNoun = computed(() => GROUPING_NOUNS[this.filters().groupBy]);
  protected readonly criterionText = computed(() => criterionName(this.filters().criterion));
  protected readonly outcomeNoun = computed(() => OUTCOME_NOUNS[this.filters().outcome]);
  /** The audit summary opens with the same cohort and criterion. */
  protected readonly summaryParams = computed(() => {
    const f = this.filters();
    return { ...cohortParams(f), ...(f.criterion === 'composite' ? {} : { criterion: f.criterion }) };
  });

  // ---------- (a) Impact ratios at one decision ----------

  protected readonly impact = computed(() => dataOf(this.impactState()));
  protected readonly flagged = computed(() => (this.impact()?.groups ?? []).filter((g) => g.fourFifthsFlag));
  protected readonly referenceLabel = computed(() => {
    const report = this.impact();
    return report?.groups.find((g) => g.reference)?.label ?? report?.referenceGroup ?? null;
  });
  protected readonly impactHeadline = computed(() => {
    const report = this.impact();
    if (!report) return '';
    const where = decisionLabel(report.decision);
    const flagged = this.flagged();
    if (flagged.length === 0)
      return `${where}: no group's selection rate is below four-fifths of the highest (${this.referenceLabel() ?? 'no reference group'}).`;
    const parts = flagged.map((g) => {
      const sig = significanceWord(g.fisherP);
      return `${g.label} (${formatRatio(g.impactRatio, true)}${sig ? `, ${sig}: Fisher p ${formatP(g.fisherP)}` : ''})`;
    });
    return `${where}: ${listInWords(parts)} ${flagged.length === 1 ? 'is' : 'are'} below 0.8 against ${this.referenceLabel() ?? 'the reference group'}.`;
  });

  /** Decisions to choose from: the stages report's, in funnel order; the chosen one is always present. */
  protected readonly decisionOptions = computed(() => {
    const names = (dataOf(this.stagesState())?.decisions ?? []).map((d) => d.decision);
    if (!names.includes('hire')) names.push('hire');
    const chosen = this.filters().decision;
    if (!names.includes(chosen)) names.unshift(chosen);
    return names.map((value) => ({ value, label: decisionLabel(value) }));
  });

  // ---------- (b) Where gaps open: every stage at once ----------

  protected readonly stages = computed(() => dataOf(this.stagesState()));
  protected readonly gridRows = computed(() => {
    const report = this.stages();
    if (!report) return [];
    return groupRows(report.decisions).map((row) => ({
      ...row,
      cells: report.decisions.map((d) => ({
        decision: d.decision,
        ...heatCell(
          d.groups.find((g) => g.group === row.group),
          report.k,
          d.decision,
        ),
      })),
    }));
  });
  protected readonly stageFlags = computed(() =>
    (this.stages()?.decisions ?? [])
      .map((d) => ({
        decision: d.decision,
        groups: d.groups.filter((g) => g.fourFifthsFlag),
      }))
      .filter((d) => d.groups.length > 0),
  );
  protected readonly stagesHeadline = computed(() => {
    const report = this.stages();
    if (!report) return '';
    const flags = this.stageFlags();
    if (flags.length === 0) return 'No stage has a group below four-fifths of the highest selection rate.';
    const parts = flags.map(
      (f) =>
        `${decisionLabel(f.decision)} (${listInWords(f.groups.map((g) => `${g.label} ${formatRatio(g.impactRatio, true)}`))})`,
    );
    return `Gaps below 0.8 open at ${listInWords(parts)}.`;
  });

  // ---------- (c) Bias audit ----------

  protected readonly audit = computed(() => dataOf(this.auditState()));
  protected readonly auditTables = computed(() => {
    const report = this.audit();
    return report ? auditTables(report) : [];
  });

  protected readonly auditLines = computed(() => auditSummary(this.auditTables()));

  // ---------- (d) Differential validity ----------

  protected readonly validity = computed(() => dataOf(this.validityState()));
  protected readonly validityRows = computed<ForestRow[]>(() => {
    const report = this.validity();
    if (!report) return [];
    return report.groups.map((g) => {
      if (g.suppressed)
        return {
          id: g.group,
          label: g.label,
          note: suppressedText(report.k),
          primary: { value: null, ciLow: null, ciHigh: null },
          muted: true,
          valueText: '',
          ariaLabel: `${g.label}: ${suppressedText(report.k)}`,
        };
      const status = g.insufficient ? `, insufficient (under ${report.minimumSample})` : '';
      return {
        id: g.group,
        label: g.label,
        note: `n = ${formatCount(g.n)}${status}`,
        primary: { value: g.r, ciLow: g.ciLow, ciHigh: g.ciHigh },
        muted: g.insufficient,
        valueText: formatCorrelation(g.r),
        ariaLabel: `${g.label}: r ${formatCorrelation(g.r)}, 95% interval ${formatInterval(g.ciLow, g.ciHigh)}, from ${formatCount(g.n)} hires${g.insufficient ? ', insufficient data, not part of the tests' : ''}`,
      };
    });
  });
  protected readonly validityDomain = computed(() =>
    niceDomain(forestValues(this.validityRows()), 0.2, [-1, 1]),
  );
  protected readonly validityStep = computed(() => tickStepFor(this.validityDomain()));
  protected readonly formatAxis = (value: number) => formatCorrelation(value, 1);
  protected readonly validityLabel = (group: string) =>
    this.validity()?.groups.find((g) => g.group === group)?.label ?? group;
  protected readonly validityHeadline = computed(() => {
    const report = this.validity();
    if (!report) return '';
    if (report.difference) {
      const [a, b] = report.difference.groups.map(this.validityLabel);
      const sig = report.difference.p < 0.05;
      return `The correlation between ${criterionName(report.criterion).toLowerCase()} and ${this.outcomeNoun()} ${sig ? 'differs significantly' : 'does not differ significantly'} between ${a} and ${b} (z = ${formatStat(report.difference.z)}, p ${formatP(report.difference.p)}).`;
    }
    if (report.heterogeneity) {
      const sig = report.heterogeneity.p < 0.05;
      return `The correlations ${sig ? 'differ significantly' : 'do not differ significantly'} across the groups (Q = ${formatStat(report.heterogeneity.q)}, df = ${report.heterogeneity.df}, p ${formatP(report.heterogeneity.p)}).`;
    }
    return 'Fewer than two groups have the minimum sample, so no test of the difference is possible.';
  });

  protected retry(): void {
    this.retry$.next();
  }

  protected setView(key: 'decision' | 'outcome', value: string, defaultValue: string): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { [key]: value === defaultValue ? null : value },
      queryParamsHandling: 'merge',
    });
  }
}
