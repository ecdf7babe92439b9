import { HttpClient, HttpParams } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { FunnelGroup, FunnelReport } from '@hiresignal/shared';
import { Subject, combineLatest, distinctUntilChanged, map, startWith, switchMap } from 'rxjs';
import { API_BASE } from '../../core/api.service';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { type BarItem, BarChartComponent } from '../../ui/bar-chart/bar-chart.component';
import { ForestPlotComponent } from '../../ui/forest-plot/forest-plot.component';
import type { ForestRow } from '../../ui/forest-plot/forest-scale';
import { type LineSeries, LineChartComponent } from '../../ui/line-chart/line-chart.component';
import { TermComponent } from '../../ui/term/term.component';
import { FunnelPlainComponent } from '../overview/plain-headlines.component';
import { FunnelFilterBarComponent } from './funnel-filter-bar.component';
import { NO_FUNNEL_FILTERS, funnelApiParams, parseFunnelFilters, sameFunnelFilters } from './funnel-filters';
import { formatCount, formatDays, formatPercent, formatPercentInterval, formatRating } from './funnel-format';

type GroupBy = 'source' | 'job' | 'department';

/** Round a maximum up to a whole step for an axis. */
function niceMax(value: number, step: number): number {
  return Math.max(step, Math.ceil(value / step) * step);
}

@Component({
  selector: 'hs-funnel',
  imports: [
    BarChartComponent,
    ForestPlotComponent,
    LineChartComponent,
    FunnelFilterBarComponent,
    RouterLink,
    TermComponent,
    FunnelPlainComponent,
  ],
  templateUrl: './funnel.component.html',
  styles: `
    .funnel-explain {
      margin: 0 0 0.75rem;
    }
    .funnel-explain dt {
      font-weight: 600;
    }
    .funnel-explain dd {
      margin: 0 0 0.5rem;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .figures {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem 2rem;
      margin: 0 0 1rem;
    }
    .figures div {
      min-width: 9rem;
    }
    .figures strong {
      display: block;
      font-size: 1.4rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunnelComponent {
  private readonly http = inject(HttpClient);
  private readonly route = inject(ActivatedRoute);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFunnelFilters),
    distinctUntilChanged(sameFunnelFilters),
  );
  protected readonly filters = toSignal(this.filters$, { initialValue: NO_FUNNEL_FILTERS });

  protected readonly state = toSignal(
    combineLatest([this.filters$, this.retry$.pipe(startWith(undefined))]).pipe(
      switchMap(([filters]) =>
        toLoadState(
          this.http.get<FunnelReport>(`${API_BASE}/analytics/funnel`, {
            params: new HttpParams({ fromObject: funnelApiParams(filters) }),
          }),
        ),
      ),
    ),
    { initialValue: LOADING as LoadState<FunnelReport> },
  );

  protected readonly data = computed(() => dataOf(this.state()));
  protected readonly errorMessage = computed(() => errorOf(this.state()));
  protected readonly stages = computed(() => this.data()?.stages ?? []);
  protected readonly isEmpty = computed(() => (this.data()?.applications ?? 0) === 0);

  protected readonly formatPercent = formatPercent;
  protected readonly formatInterval = formatPercentInterval;
  protected readonly formatDays = formatDays;
  protected readonly formatRating = formatRating;
  protected readonly formatCount = formatCount;
  protected readonly formatWhole = (value: number) => formatCount(Math.round(value));
  protected readonly formatShare = (value: number) => formatPercent(value);
  protected readonly formatDayAxis = (value: number) => `${Math.round(value)} d`;

  // ---------- Funnel: reached per stage, pass-through with its interval ----------

  protected readonly reachedData = computed<BarItem[]>(() =>
    this.stages().map((s) => ({ name: s.label, value: s.reached })),
  );
  protected readonly reachedMax = computed(() => niceMax(this.data()?.applications ?? 0, 10));
  protected readonly reachedStep = computed(() => Math.max(1, Math.ceil(this.reachedMax() / 5)));

  protected readonly passRows = computed<ForestRow[]>(() =>
    this.stages()
      .filter((s) => s.passThroughRate !== null)
      .map((s) => ({
        id: s.stage,
        label: s.label,
        note: `${s.advanced} of ${s.advanced + s.exited} concluded${s.inProgress ? `, ${s.inProgress} in progress` : ''}`,
        primary: { value: s.passThroughRate, ciLow: s.passThroughCiLow, ciHigh: s.passThroughCiHigh },
        valueText: formatPercent(s.passThroughRate),
        ariaLabel: `${s.label}: pass-through ${formatPercent(s.passThroughRate)}, 95% interval ${formatPercentInterval(
          s.passThroughCiLow,
          s.passThroughCiHigh,
        )}, ${s.advanced} advanced and ${s.exited} exited; ${s.inProgress} still in progress`,
      })),
  );

  /** The stage with the lowest pass-through among those with at least 10 concluded: where to look first. */
  protected readonly inProgressTotal = computed(() =>
    this.stages().reduce((sum, s) => sum + s.inProgress, 0),
  );

  // ---------- Time in stage: median with the 90th percentile ----------

  protected readonly dayRows = computed<ForestRow[]>(() =>
    this.stages()
      .filter((s) => s.daysInStage !== null && s.daysInStage.n > 0)
      .map((s) => {
        const d = s.daysInStage ?? { n: 0, median: null, p90: null };
        return {
          id: s.stage,
          label: s.label,
          note: `n = ${d.n}`,
          primary: { value: d.median, ciLow: d.median, ciHigh: d.p90 },
          valueText: `${formatDays(d.median)} d`,
          ariaLabel: `${s.label}: median ${formatDays(d.median)} days, 90th percentile ${formatDays(d.p90)} days, from ${d.n} applications`,
        };
      }),
  );
  protected readonly dayDomain = computed<[number, number]>(() => {
    const top = Math.max(0, ...this.stages().map((s) => s.daysInStage?.p90 ?? 0));
    return [0, niceMax(top, 5)];
  });
  protected readonly dayStep = computed(() => Math.max(1, Math.ceil(this.dayDomain()[1] / 5)));

  // ---------- Sources (or job, department): hires and their quality ----------

  protected readonly groupBy = computed<GroupBy>(() => {
    const value = this.params().get('groupBy');
    return value === 'job' || value === 'department' ? value : 'source';
  });
  private readonly params = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly groupOptions: { value: GroupBy; label: string }[] = [
    { value: 'source', label: 'Source' },
    { value: 'job', label: 'Job' },
    { value: 'department', label: 'Department' },
  ];
  protected readonly groups = computed<FunnelGroup[]>(() => {
    const data = this.data();
    if (!data) return [];
    const by = this.groupBy();
    return by === 'job' ? data.byJob : by === 'department' ? data.byDepartment : data.bySource;
  });
  protected readonly groupData = computed<BarItem[]>(() =>
    this.groups().map((g) => ({ name: g.label, value: g.hires })),
  );
  protected readonly groupMax = computed(() => niceMax(Math.max(0, ...this.groups().map((g) => g.hires)), 5));

  // ---------- Monthly cohorts ----------

  protected readonly monthSeries = computed<LineSeries[]>(() => {
    const months = this.data()?.byMonth ?? [];
    return [
      { name: 'Applications', series: months.map((m) => ({ name: m.month, value: m.applications })) },
      { name: 'Hires', series: months.map((m) => ({ name: m.month, value: m.hires })) },
      { name: 'Still in progress', series: months.map((m) => ({ name: m.month, value: m.inProgress })) },
    ];
  });
  protected readonly monthMax = computed(() =>
    niceMax(Math.max(0, ...(this.data()?.byMonth ?? []).map((m) => m.applications)), 10),
  );

  protected retry(): void {
    this.retry$.next();
  }

  protected groupHref(value: GroupBy): Record<string, string | null> {
    return { groupBy: value === 'source' ? null : value };
  }
}
