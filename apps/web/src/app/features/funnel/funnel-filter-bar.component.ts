import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ExportReport } from '@hiresignal/shared';
import { CohortFieldsComponent, cohortFieldValues } from '../analytics/cohort-fields.component';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { FUNNEL_COHORT_KEYS, compactFilters } from '../exports/exports-format';
import type { FunnelUrlFilters } from './funnel-filters';

/** The funnel's filters; every change goes into the URL, which the page reads back. */
@Component({
  selector: 'hs-funnel-filter-bar',
  imports: [CohortPickerComponent, CohortFieldsComponent, DownloadMenuComponent],
  template: `
    <form class="filters" aria-label="Filters" (submit)="$event.preventDefault()">
      <hs-cohort-picker [filters]="cohortFilters()" [keys]="cohortKeys" idPrefix="funnel-cohort" />
      <hs-cohort-fields
        idPrefix="funnel"
        [values]="fieldValues()"
        [dateKeys]="dateKeys"
        dateLegend="Applied (cohort)"
      />
      <hs-download-menu [reports]="downloads()" [filters]="cohortFilters()" />
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunnelFilterBarComponent {
  readonly filters = input.required<FunnelUrlFilters>();
  /** The reports the screen's Download menu exports (none: no menu). */
  readonly downloads = input<readonly ExportReport[]>([]);

  protected readonly cohortKeys = FUNNEL_COHORT_KEYS;
  protected readonly cohortFilters = computed(() => compactFilters(this.filters()));

  /** The job, department, source and applied dates, for the shared fields. */
  protected readonly dateKeys = ['appliedFrom', 'appliedTo'] as const;
  protected readonly fieldValues = computed(() => cohortFieldValues(this.filters(), this.dateKeys));
}
