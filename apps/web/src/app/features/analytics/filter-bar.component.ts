import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { ExportReport, JobSummary } from '@hiresignal/shared';
import { catchError, of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { VALIDITY_COHORT_KEYS, compactFilters } from '../exports/exports-format';
import {
  type DashboardFilters,
  OUTCOME_LABELS,
  activeFilterCount,
  parseIsoDate,
  toUrlParams,
} from './analytics-filters';

function jobLabel(job: JobSummary): string {
  const title = job.title ?? job.jobId;
  return job.department ? `${title} · ${job.department}` : title;
}

/** The analytics filters; every change goes into the URL, which the page reads back. */
@Component({
  selector: 'hs-filter-bar',
  imports: [CohortPickerComponent, DownloadMenuComponent],
  template: `
    <form class="filters" aria-label="Filters" (submit)="$event.preventDefault()">
      <hs-cohort-picker [filters]="cohortFilters()" [keys]="cohortKeys" idPrefix="filter-cohort" />
      @if (showOutcome()) {
        <div class="field field-inline">
          <label for="filter-outcome">Outcome</label>
          <select
            id="filter-outcome"
            data-testid="filter-outcome"
            (change)="set('outcome', $any($event.target).value)"
          >
            @for (outcome of outcomes; track outcome.value) {
              <option [value]="outcome.value" [selected]="outcome.value === filters().outcome">
                {{ outcome.label }}
              </option>
            }
          </select>
        </div>
      }
      <div class="field field-inline">
        <label for="filter-job">Job</label>
        <select id="filter-job" data-testid="filter-job" (change)="set('jobId', $any($event.target).value)">
          <option value="" [selected]="!filters().jobId">All jobs</option>
          @for (job of jobOptions(); track job.value) {
            <option [value]="job.value" [selected]="job.value === filters().jobId">{{ job.label }}</option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="filter-department">Department</label>
        <select
          id="filter-department"
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
        <label for="filter-source">Source</label>
        <input
          id="filter-source"
          data-testid="filter-source"
          type="text"
          placeholder="Any, e.g. referral"
          size="14"
          [value]="filters().source ?? ''"
          (change)="set('source', $any($event.target).value.trim())"
        />
      </div>
      <fieldset class="field field-inline filter-dates">
        <legend>Hired</legend>
        <label for="filter-hired-from">from</label>
        <input
          id="filter-hired-from"
          data-testid="filter-hired-from"
          type="date"
          [value]="filters().hiredFrom ?? ''"
          (change)="setDate('hiredFrom', $any($event.target).value)"
        />
        <label for="filter-hired-to">to</label>
        <input
          id="filter-hired-to"
          data-testid="filter-hired-to"
          type="date"
          [value]="filters().hiredTo ?? ''"
          (change)="setDate('hiredTo', $any($event.target).value)"
        />
      </fieldset>
      @if (activeCount() > 0) {
        <button type="button" class="button button-ghost" data-testid="filter-clear" (click)="clear()">
          Clear {{ activeCount() === 1 ? 'filter' : activeCount() + ' filters' }}
        </button>
      }
      <hs-download-menu [reports]="downloads()" [filters]="cohortFilters()" [outcome]="filters().outcome" />
    </form>
  `,
  // On a phone the fields wrap and shrink to the width instead of pushing the page sideways (as the funnel's bar).
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
export class FilterBarComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  readonly filters = input.required<DashboardFilters>();
  readonly showOutcome = input(true);
  /** The reports the screen's Download menu exports (none: no menu). */
  readonly downloads = input<readonly ExportReport[]>([]);

  protected readonly cohortKeys = VALIDITY_COHORT_KEYS;
  /** The filters as a cohort (the outcome is a view of the same people, not a filter). */
  protected readonly cohortFilters = computed(() => {
    const { outcome: _outcome, ...filters } = this.filters();
    return compactFilters(filters);
  });

  protected readonly outcomes = Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }));

  private readonly jobs = toSignal(this.api.jobs().pipe(catchError(() => of([] as JobSummary[]))), {
    initialValue: [] as JobSummary[],
  });

  protected readonly jobOptions = computed(() => {
    const options = this.jobs().map((job) => ({ value: job.jobId, label: jobLabel(job) }));
    const selected = this.filters().jobId;
    if (selected && !options.some((option) => option.value === selected)) {
      options.unshift({ value: selected, label: selected });
    }
    return options;
  });

  protected readonly departments = computed(() => {
    const names = new Set(
      this.jobs()
        .map((job) => job.department)
        .filter((name): name is string => !!name),
    );
    const selected = this.filters().department;
    if (selected) {
      names.add(selected);
    }
    return [...names].sort((a, b) => a.localeCompare(b));
  });

  protected readonly activeCount = computed(() => activeFilterCount(this.filters()));

  protected set(key: keyof DashboardFilters, value: string): void {
    this.navigate(toUrlParams({ [key]: value }));
  }

  protected setDate(key: 'hiredFrom' | 'hiredTo', value: string): void {
    this.navigate(toUrlParams({ [key]: parseIsoDate(value) }));
  }

  protected clear(): void {
    this.navigate(
      toUrlParams({ jobId: null, department: null, source: null, hiredFrom: null, hiredTo: null }),
    );
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
