import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import type { ExportReport } from '@hiresignal/shared';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { VALIDITY_COHORT_KEYS, compactFilters } from '../exports/exports-format';
import { type DashboardFilters, OUTCOME_LABELS, toUrlParams } from './analytics-filters';
import { CohortFieldsComponent, cohortFieldValues } from './cohort-fields.component';

/** The analytics filters; every change goes into the URL, which the page reads back. */
@Component({
  selector: 'hs-filter-bar',
  imports: [CohortPickerComponent, CohortFieldsComponent, DownloadMenuComponent],
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
      <hs-cohort-fields idPrefix="filter" [values]="fieldValues()" [dateKeys]="dateKeys" dateLegend="Hired" />
      <hs-download-menu [reports]="downloads()" [filters]="cohortFilters()" [outcome]="filters().outcome" />
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FilterBarComponent {
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

  /** The job, department, source and hire dates, for the shared fields. */
  protected readonly dateKeys = ['hiredFrom', 'hiredTo'] as const;
  protected readonly fieldValues = computed(() => cohortFieldValues(this.filters(), this.dateKeys));

  protected set(key: keyof DashboardFilters, value: string): void {
    this.navigate(toUrlParams({ [key]: value }));
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
