import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { JobSummary } from '@hiresignal/shared';
import { catchError, of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { parseIsoDate } from '../analytics/analytics-filters';
import { type FairnessUrlFilters, GROUPINGS, activeCohortFilterCount } from './fairness-filters';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { compactFilters, FUNNEL_COHORT_KEYS } from '../exports/exports-format';
import { criterionName } from './fairness-format';

/** The Fairness screen's cohort filters, grouping and criterion; every change goes into the URL. */
@Component({
  selector: 'hs-fairness-filter-bar',
  imports: [CohortPickerComponent, DownloadMenuComponent],
  template: `
    <form class="filters" aria-label="Filters" (submit)="$event.preventDefault()">
      <hs-cohort-picker [filters]="cohortFilters()" [keys]="cohortKeys" idPrefix="fairness-cohort" />
      <div class="field field-inline">
        <label for="fairness-group-by">Groups</label>
        <select
          id="fairness-group-by"
          data-testid="filter-group-by"
          (change)="set('groupBy', $any($event.target).value, 'sex')"
        >
          @for (g of groupings; track g.value) {
            <option [value]="g.value" [selected]="g.value === filters().groupBy">{{ g.label }}</option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="fairness-criterion">Criterion</label>
        <select
          id="fairness-criterion"
          data-testid="filter-criterion"
          (change)="set('criterion', $any($event.target).value, 'composite')"
        >
          @for (c of criterionOptions(); track c.value) {
            <option [value]="c.value" [selected]="c.value === filters().criterion">{{ c.label }}</option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="fairness-job">Job</label>
        <select id="fairness-job" data-testid="filter-job" (change)="set('jobId', $any($event.target).value)">
          <option value="" [selected]="!filters().jobId">All jobs</option>
          @for (job of jobOptions(); track job.value) {
            <option [value]="job.value" [selected]="job.value === filters().jobId">{{ job.label }}</option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="fairness-department">Department</label>
        <select
          id="fairness-department"
          data-testid="filter-department"
          (change)="set('department', $any($event.target).value)"
        >
          <option value="" [selected]="!filters().department">All departments</option>
          @for (department of departments(); track department) {
            <option [value]="department" [selected]="department === filters().department">
              {{ department }}
            </option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="fairness-source">Source</label>
        <input
          id="fairness-source"
          data-testid="filter-source"
          type="text"
          placeholder="Any, e.g. referral"
          size="14"
          [value]="filters().source ?? ''"
          (change)="set('source', $any($event.target).value.trim())"
        />
      </div>
      <fieldset class="field field-inline filter-dates">
        <legend>Applied (cohort)</legend>
        <label for="fairness-applied-from">from</label>
        <input
          id="fairness-applied-from"
          data-testid="filter-applied-from"
          type="date"
          [value]="filters().appliedFrom ?? ''"
          (change)="setDate('appliedFrom', $any($event.target).value)"
        />
        <label for="fairness-applied-to">to</label>
        <input
          id="fairness-applied-to"
          data-testid="filter-applied-to"
          type="date"
          [value]="filters().appliedTo ?? ''"
          (change)="setDate('appliedTo', $any($event.target).value)"
        />
      </fieldset>
      @if (activeCount() > 0) {
        <button type="button" class="button button-ghost" data-testid="filter-clear" (click)="clear()">
          Clear {{ activeCount() === 1 ? 'filter' : activeCount() + ' filters' }}
        </button>
      }
      <hs-download-menu
        [reports]="downloads"
        [filters]="cohortFilters()"
        [outcome]="filters().outcome"
        [options]="{ groupBy: filters().groupBy, criterion: filters().criterion }"
      />
    </form>
  `,
  // On a phone the fields wrap and shrink to the width instead of pushing the page sideways.
  styles: `
    @media (max-width: 480px) {
      .field-inline {
        flex-wrap: wrap;
        max-width: 100%;
      }
      .field-inline select,
      .field-inline input {
        min-width: 0;
        max-width: 100%;
        flex: 1 1 8rem;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FairnessFilterBarComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  readonly filters = input.required<FairnessUrlFilters>();
  /** Rubric criterion keys, from GET /rubrics. */
  readonly criteria = input<readonly string[]>([]);

  protected readonly groupings = GROUPINGS;
  /** The fairness tables as files, with this screen's filters, grouping and criterion (admins and analysts). */
  protected readonly downloads = ['adverse-impact', 'bias-audit', 'differential-validity'] as const;
  protected readonly cohortKeys = FUNNEL_COHORT_KEYS;
  /** The cohort part of the filters (the grouping, decision, criterion and outcome are views of it). */
  protected readonly cohortFilters = computed(() => {
    const f = this.filters();
    return compactFilters({
      jobId: f.jobId,
      department: f.department,
      source: f.source,
      appliedFrom: f.appliedFrom,
      appliedTo: f.appliedTo,
    });
  });

  private readonly jobs = toSignal(this.api.jobs().pipe(catchError(() => of([] as JobSummary[]))), {
    initialValue: [] as JobSummary[],
  });

  protected readonly criterionOptions = computed(() => {
    const keys = ['composite', ...this.criteria().filter((c) => c !== 'composite')];
    const selected = this.filters().criterion;
    if (!keys.includes(selected)) keys.push(selected);
    return keys.map((value) => ({ value, label: criterionName(value) }));
  });

  protected readonly jobOptions = computed(() => {
    const options = this.jobs().map((job) => ({
      value: job.jobId,
      label: job.department ? `${job.title ?? job.jobId} · ${job.department}` : (job.title ?? job.jobId),
    }));
    const selected = this.filters().jobId;
    if (selected && !options.some((o) => o.value === selected))
      options.unshift({ value: selected, label: selected });
    return options;
  });

  protected readonly departments = computed(() => {
    const names = new Set(this.jobs().flatMap((job) => (job.department ? [job.department] : [])));
    const selected = this.filters().department;
    if (selected) names.add(selected);
    return [...names].sort((a, b) => a.localeCompare(b));
  });

  protected readonly activeCount = computed(() => activeCohortFilterCount(this.filters()));

  /** Sets one parameter; the default value (or an empty one) leaves the URL without it. */
  protected set(key: keyof FairnessUrlFilters, value: string, defaultValue = ''): void {
    this.navigate({ [key]: value === '' || value === defaultValue ? null : value });
  }

  protected setDate(key: 'appliedFrom' | 'appliedTo', value: string): void {
    this.navigate({ [key]: parseIsoDate(value) });
  }

  protected clear(): void {
    this.navigate({ jobId: null, department: null, source: null, appliedFrom: null, appliedTo: null });
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
