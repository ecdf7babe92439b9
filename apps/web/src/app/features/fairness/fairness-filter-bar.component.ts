import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { CohortFieldsComponent, cohortFieldValues } from '../analytics/cohort-fields.component';
import { type FairnessUrlFilters, GROUPINGS } from './fairness-filters';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { compactFilters, FUNNEL_COHORT_KEYS } from '../exports/exports-format';
import { criterionName } from './fairness-format';

/** The Fairness screen's cohort filters, grouping and criterion; every change goes into the URL. */
@Component({
  selector: 'hs-fairness-filter-bar',
  imports: [CohortPickerComponent, CohortFieldsComponent, DownloadMenuComponent],
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
      <hs-cohort-fields
        idPrefix="fairness"
        [values]="fieldValues()"
        [dateKeys]="dateKeys"
        dateLegend="Applied (cohort)"
      />
      <hs-download-menu
        [reports]="downloads"
        [filters]="cohortFilters()"
        [outcome]="filters().outcome"
        [options]="{ groupBy: filters().groupBy, criterion: filters().criterion }"
      />
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FairnessFilterBarComponent {
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

  protected readonly criterionOptions = computed(() => {
    const keys = ['composite', ...this.criteria().filter((c) => c !== 'composite')];
    const selected = this.filters().criterion;
    if (!keys.includes(selected)) keys.push(selected);
    return keys.map((value) => ({ value, label: criterionName(value) }));
  });

  /** The job, department, source and applied dates, for the shared fields. */
  protected readonly dateKeys = ['appliedFrom', 'appliedTo'] as const;
  protected readonly fieldValues = computed(() => cohortFieldValues(this.filters(), this.dateKeys));

  /** Sets one parameter; the default value (or an empty one) leaves the URL without it. */
  protected set(key: keyof FairnessUrlFilters, value: string, defaultValue = ''): void {
    this.navigate({ [key]: value === '' || value === defaultValue ? null : value });
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
