import { HttpClient, HttpParams } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { LowerCasePipe } from '@angular/common';
import { ActivatedRoute, RouterLink } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  AdverseImpactStagesReport,
  ExportSummary,
  FairnessGrouping,
  FunnelReport,
  ImportRunSummary,
  OrganizationSettings,
  Role,
} from '@hiresignal/shared';
import { type Observable, distinctUntilChanged, forkJoin, map, of, switchMap } from 'rxjs';
import { type Capability, can } from '../../core/access';
import { API_BASE, ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { TermComponent } from '../../ui/term/term.component';
import {
  DEFAULT_FILTERS,
  type DashboardFilters,
  OUTCOME_NOUNS,
  parseFilters,
  sameFilters,
  toApiParams,
} from '../analytics/analytics-filters';
import { FilterBarComponent } from '../analytics/filter-bar.component';
import { ExportsApiService } from '../exports/exports-api.service';
import { FORMAT_LABELS, REPORT_SHORT, STATUS_LABELS as EXPORT_STATUS } from '../exports/exports-format';
import { GROUPINGS } from '../fairness/fairness-filters';
import { decisionLabel, formatRatio } from '../fairness/fairness-format';
import { FunnelFilterBarComponent } from '../funnel/funnel-filter-bar.component';
import {
  type FunnelUrlFilters,
  NO_FUNNEL_FILTERS,
  funnelApiParams,
  parseFunnelFilters,
  sameFunnelFilters,
} from '../funnel/funnel-filters';
import { formatCount, formatDays, formatPercent } from '../funnel/funnel-format';
import { STATUS_LABELS as IMPORT_STATUS, formatWhen, kindLabel } from '../imports/imports-format';
import { DEFAULT_SETTINGS, normalizeValidity } from '../validity/validity-report';
import { formatCorrelation, formatPValue, formatSigned } from '../validity/validity-format';
import {
  concluded,
  exportsSentence,
  fairnessFlags,
  fairnessHeadline,
  freshnessSentence,
  lastCompletedImport,
  readCalibration,
  readValidity,
  slowestStage,
  slowestStageSentence,
  timeAgo,
  weakestStep,
  weakestStepSentence,
} from './plain-language';

export type OverviewCard = 'validity' | 'interviewers' | 'fairness' | 'funnel' | 'freshness' | 'exports';

/** The capability each card's report needs: a role without it never calls that report. */
export const CARD_CAPABILITY: Record<OverviewCard, Capability> = {
  validity: 'validity',
  interviewers: 'validity',
  fairness: 'fairness',
  funnel: 'funnel',
  freshness: 'importsRead',
  exports: 'exports',
};

/** Each role's question first (PRODUCT.md): the talent leader's validity, the recruiter's funnel, the analyst's data. */
const CARD_ORDER: Record<Role, readonly OverviewCard[]> = {
  admin: ['validity', 'interviewers', 'fairness', 'funnel', 'freshness', 'exports'],
  talent_leader: ['validity', 'interviewers', 'fairness', 'funnel', 'freshness', 'exports'],
  recruiter: ['funnel', 'freshness', 'validity', 'interviewers', 'fairness', 'exports'],
  analyst: ['freshness', 'exports', 'validity', 'interviewers', 'fairness', 'funnel'],
};

/** The cards a role sees, in its order. */
export function cardsFor(role: Role): OverviewCard[] {
  return CARD_ORDER[role].filter((card) => can(role, CARD_CAPABILITY[card]));
}

const LEDES: Record<Role, string> = {
  admin: 'The headline of every report, the state of your data and the latest exports.',
  talent_leader:
    'Which interview criteria predict who does well after being hired, how sure we are, which interviewers score out of line, and where groups fare differently.',
  recruiter: 'Where candidates drop out of the funnel, where they wait longest, and how fresh the data is.',
  analyst: 'How fresh the data is, your latest exports, and the headline of every report.',
};

/** The fairness groupings the card scans for four-fifths flags (intersectional cells are mostly suppressed). */
const FAIRNESS_GROUPINGS: readonly FairnessGrouping[] = ['sex', 'race_ethnicity'];

const EXPORTS_SHOWN = 5;
const IMPORTS_SHOWN = 3;

/** Query parameters of a link: the filters that are set. */
function linkParams(params: Record<string, string>): Record<string, string> | null {
  return Object.keys(params).length > 0 ? params : null;
}

/**
 * The overview: each role's question answered at a glance, one card per report the role may read, each in plain
 * words with the numbers behind them and a link to its screen carrying the same filters.
 */
@Component({
  selector: 'hs-overview',
  imports: [LowerCasePipe, RouterLink, TermComponent, FilterBarComponent, FunnelFilterBarComponent],
  templateUrl: './overview.component.html',
  styles: `
    .overview-grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr));
      gap: 1.25rem;
      align-items: start;
    }
    .overview-card {
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
    }
    .overview-card h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    .overview-card .headline {
      margin: 0;
    }
    .overview-card p {
      margin: 0;
    }
    .readings {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.6rem;
    }
    .readings li {
      padding-left: 0.75rem;
      border-left: 4px solid var(--border);
    }
    .readings li.keep {
      border-left-color: var(--ok);
    }
    .readings li.drop {
      border-left-color: var(--danger);
    }
    .readings li.wait {
      border-left-style: dashed;
      color: var(--text-muted);
    }
    .card-link {
      align-self: flex-start;
      font-weight: 600;
    }
    .overview-card .table-wrap {
      margin: 0 -0.25rem;
    }
    .overview-card .data-table caption {
      padding: 0 0.25rem 0.5rem;
    }
    .figures {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1.5rem;
      margin: 0;
    }
    .figures div {
      min-width: 8rem;
    }
    .figures dt {
      color: var(--text-muted);
      font-size: 0.85rem;
    }
    .figures dd {
      margin: 0;
      font-size: 1.25rem;
      font-weight: 600;
    }
    .overview-card .data-table {
      font-size: 0.86rem;
    }
    .overview-card .data-table th,
    .overview-card .data-table td {
      padding: 0.45rem 0.4rem;
    }
    @media (max-width: 480px) {
      .overview-card {
        padding: 0.9rem;
      }
      .overview-card .data-table thead th {
        white-space: normal;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewComponent {
  private readonly api = inject(ApiService);
  private readonly http = inject(HttpClient);
  private readonly exportsApi = inject(ExportsApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly auth = inject(AuthService);

  /** The guard restored the session before this page opened. */
  protected readonly role: Role = this.auth.session()?.role ?? 'recruiter';
  protected readonly cards = cardsFor(this.role);
  protected readonly lede = LEDES[this.role];
  protected readonly now = new Date();
  private readonly allowed = (card: OverviewCard) => this.cards.includes(card);
  /** The validity filter bar for roles that read validity; the funnel's for the others (recruiters). */
  protected readonly validityBar = can(this.role, 'validity');

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFilters),
    distinctUntilChanged(sameFilters),
  );
  private readonly funnelFilters$ = this.route.queryParamMap.pipe(
    map(parseFunnelFilters),
    distinctUntilChanged(sameFunnelFilters),
  );
  protected readonly filters = toSignal(this.filters$, { initialValue: DEFAULT_FILTERS });
  protected readonly funnelFilters = toSignal(this.funnelFilters$, { initialValue: NO_FUNNEL_FILTERS });
  protected readonly outcomeNoun = computed(() => OUTCOME_NOUNS[this.filters().outcome]);

  // ---------- Requests: only the reports the role may read ----------

  private load<F, T>(
    card: OverviewCard,
    filters$: Observable<F>,
    request: (filters: F) => Observable<T>,
  ): () => LoadState<T> | null {
    if (!this.allowed(card)) return () => null;
    return toSignal(filters$.pipe(switchMap((filters) => toLoadState(request(filters)))), {
      initialValue: LOADING as LoadState<T>,
    });
  }

  protected readonly settingsState = toSignal(toLoadState(this.api.settings()), {
    initialValue: LOADING as LoadState<OrganizationSettings>,
  });

  protected readonly validityState = this.load('validity', this.filters$, (filters) =>
    this.api.validity(toApiParams(filters)).pipe(map((raw) => normalizeValidity(raw, filters.outcome))),
  );

  protected readonly interviewersState = this.load('interviewers', this.filters$, (filters) =>
    this.api.interviewers(toApiParams(filters)),
  );

  protected readonly fairnessState = this.load('fairness', this.funnelFilters$, (filters) =>
    forkJoin(
      FAIRNESS_GROUPINGS.map((groupBy) =>
        this.http.get<AdverseImpactStagesReport>(`${API_BASE}/analytics/adverse-impact/stages`, {
          params: new HttpParams({ fromObject: { ...funnelApiParams(filters), groupBy } }),
        }),
      ),
    ),
  );

  protected readonly funnelState = this.load('funnel', this.funnelFilters$, (filters) =>
    this.http.get<FunnelReport>(`${API_BASE}/analytics/funnel`, {
      params: new HttpParams({ fromObject: funnelApiParams(filters) }),
    }),
  );

  protected readonly importsState = this.load('freshness', of(null), () => this.api.imports(20));

  protected readonly exportsState = this.load('exports', of(null), () => this.exportsApi.exports());

  /** The sentence explaining a card's failed request. */
  protected err<T>(state: LoadState<T> | null): string {
    return state ? errorOf(state) : '';
  }

  // ---------- Readings ----------

  private readonly minimumSample = computed(
    () => dataOf(this.settingsState())?.minimumSample ?? DEFAULT_SETTINGS.minimumSample,
  );

  protected readonly validity = computed(() => {
    const state = this.validityState();
    const report = state ? dataOf(state) : null;
    if (!report) return null;
    return {
      report,
      reading: readValidity(report.criteria, report.composite, report.outcome, report.settings.minimumSample),
    };
  });

  protected readonly calibration = computed(() => {
    const state = this.interviewersState();
    const report = state ? dataOf(state) : null;
    if (!report) return null;
    const reading = readCalibration(report.interviewers);
    return { report, reading, outliers: [...reading.lenient.slice(0, 3), ...reading.harsh.slice(0, 3)] };
  });

  protected readonly fairness = computed(() => {
    const state = this.fairnessState();
    const reports = state ? dataOf(state) : null;
    if (!reports) return null;
    const flags = fairnessFlags(reports);
    return {
      flags,
      headline: fairnessHeadline(flags, FAIRNESS_GROUPINGS),
      k: reports[0]?.k ?? DEFAULT_SETTINGS.smallCellK,
      dataVersion: reports[0]?.dataVersion ?? '',
    };
  });

  protected readonly funnel = computed(() => {
    const state = this.funnelState();
    const report = state ? dataOf(state) : null;
    if (!report) return null;
    const n = this.minimumSample();
    const weakest = weakestStep(report.stages, n);
    const slowest = slowestStage(report.stages, n);
    return {
      report,
      n,
      weakest,
      slowest,
      weakestText: weakestStepSentence(weakest, n),
      slowestText: slowestStageSentence(slowest, n),
    };
  });

  protected readonly imports = computed(() => {
    const state = this.importsState();
    const runs = state ? dataOf(state) : null;
    if (!runs) return null;
    return {
      runs: runs.slice(0, IMPORTS_SHOWN),
      last: lastCompletedImport(runs),
      sentence: freshnessSentence(runs, this.now),
    };
  });

  protected readonly exports = computed(() => {
    const state = this.exportsState();
    const list = state ? dataOf(state) : null;
    if (!list) return null;
    return { list: list.slice(0, EXPORTS_SHOWN), sentence: exportsSentence(list, this.now) };
  });

  /** The data version the figures were computed at: from whichever report the role reads. */
  protected readonly dataVersion = computed(
    () =>
      this.validity()?.report.dataVersion ??
      this.funnel()?.report.dataVersion ??
      this.fairness()?.dataVersion ??
      null,
  );

  // ---------- Links carry the same filters ----------

  protected readonly validityParams = computed(() => linkParams(toApiParams(this.filters())));
  protected readonly funnelParams = computed(() => linkParams(funnelApiParams(this.funnelFilters())));

  protected fairnessParams(decision: string, groupBy: FairnessGrouping): Record<string, string> {
    return { ...funnelApiParams(this.funnelFilters()), decision, groupBy };
  }

  protected readonly hireDatesIgnored = computed(() => {
    const f: DashboardFilters = this.filters();
    return f.hiredFrom !== null || f.hiredTo !== null;
  });

  protected readonly appliedDatesIgnored = computed(() => {
    const f: FunnelUrlFilters = this.funnelFilters();
    return this.validityBar && (f.appliedFrom !== null || f.appliedTo !== null);
  });

  // ---------- Formatting ----------

  protected readonly formatR = formatCorrelation;
  protected readonly formatP = formatPValue;
  protected readonly formatSigned = formatSigned;
  protected readonly formatRatio = formatRatio;
  protected readonly formatPercent = formatPercent;
  protected readonly formatDays = formatDays;
  protected readonly formatCount = formatCount;
  protected readonly formatWhen = formatWhen;
  protected readonly timeAgo = (iso: string | null) => timeAgo(iso, this.now);
  protected readonly concluded = concluded;
  protected readonly decisionLabel = decisionLabel;
  protected readonly kindLabel = kindLabel;
  protected readonly importStatus = IMPORT_STATUS;
  protected readonly exportStatus = EXPORT_STATUS;
  protected readonly reportShort = REPORT_SHORT;
  protected readonly formatLabels = FORMAT_LABELS;

  protected groupingWord(grouping: FairnessGrouping): string {
    return GROUPINGS.find((g) => g.value === grouping)?.label ?? grouping;
  }

  protected importRows(run: ImportRunSummary): number {
    return run.inserted + run.updated + run.unchanged;
  }

  protected exportsCaption(count: number): string {
    return count === 1 ? 'The last export' : `The last ${count} exports`;
  }

  protected exportRows(item: ExportSummary): string {
    return item.status === 'completed' ? formatCount(item.rowsWritten) : '—';
  }
}
