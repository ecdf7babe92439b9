import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { ExportReport, JobSummary } from '@hiresignal/shared';
import { catchError, of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { parseIsoDate } from '../analytics/analytics-filters';
import { CohortPickerComponent } from '../exports/cohort-picker.component';
import { DownloadMenuComponent } from '../exports/download-menu.component';
import { FUNNEL_COHORT_KEYS, compactFilters } from '../exports/exports-format';
import { type FunnelUrlFilters, activeFunnelFilterCount } from './funnel-filters';

/** The funnel's filters; every change goes into the URL, which the page reads back. */
@Component({
  selector: 'hs-funnel-filter-bar',
  imports: [CohortPickerComponent, DownloadMenuComponent],
  template: `
    <form class="filters" aria-label="Filters" (submit)="$event.preventDefault()">
      <hs-cohort-picker [filters]="cohortFilters()" [keys]="cohortKeys" idPrefix="funnel-cohort" />
      <div class="field field-inline">
        <label for="funnel-job">Job</label>
        <select id="funnel-job" data-testid="filter-job" (change)="set('jobId', $any($event.target).value)">
          <option value="" [selected]="!filters().jobId">All jobs</option>
          @for (job of jobOptions(); track job.value) {
            <option [value]="job.value" [selected]="job.value === filters().jobId">{{ job.label }}</option>
          }
        </select>
      </div>
      <div class="field field-inline">
        <label for="funnel-department">Department</label>
        <select
          id="funnel-department"
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
        <label for="funnel-source">Source</label>
        <input
          id="funnel-source"
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
        <label for="funnel-applied-from">from</label>
        <input
          id="funnel-applied-from"
          data-testid="filter-applied-from"
          type="date"
          [value]="filters().appliedFrom ?? ''"
          (change)="setDate('appliedFrom', $any($event.target).value)"
        />
        <label for="funnel-applied-to">to</label>
        <input
          id="funnel-applied-to"
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
      <hs-download-menu [reports]="downloads()" [filters]="cohortFilters()" />
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
export class FunnelFilterBarComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  readonly filters = input.required<FunnelUrlFilters>();
  /** The reports the screen's Download menu exports (none: no menu). */
  readonly downloads = input<readonly ExportReport[]>([]);

  protected readonly cohortKeys = FUNNEL_COHORT_KEYS;
  protected readonly cohortFilters = computed(() => compactFilters(this.filters()));

  private readonly jobs = toSignal(this.api.jobs().pipe(catchError(() => of([] as JobSummary[]))), {
    initialValue: [] as JobSummary[],
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

  protected readonly activeCount = computed(() => activeFunnelFilterCount(this.filters()));

  protected set(key: keyof FunnelUrlFilters, value: string): void {
    this.navigate({ [key]: value === '' ? null : value });
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
