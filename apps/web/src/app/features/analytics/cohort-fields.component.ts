import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { FilterOptions } from '@hiresignal/shared';
import { catchError, map, of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { parseIsoDate } from './analytics-filters';
import {
  CHOICE_KEYS,
  type ChoiceKey,
  type CohortChoice,
  type SelectOption,
  choiceOptions,
  describeUnknownChoices,
  unknownChoices,
} from './filter-options';

/** The cohort filters of a screen as its URL holds them: job, department, source and a date range. */
export interface CohortFieldValues extends CohortChoice {
  from: string | null;
  to: string | null;
}

/** A bar's filters as the shared fields take them: its two date parameters (`dateKeys`) become from and to. */
export function cohortFieldValues<K extends string>(
  filters: CohortChoice & Readonly<Record<K, string | null>>,
  [from, to]: readonly [K, K],
): CohortFieldValues {
  return {
    jobId: filters.jobId,
    department: filters.department,
    source: filters.source,
    from: filters[from],
    to: filters[to],
  };
}

type OptionsState = { status: 'loading' } | { status: 'ready'; options: FilterOptions } | { status: 'error' };

/**
 * The job, department and source selects and the date range that the Validity, Funnel and Fairness filter bars
 * share. The selects list what exists in the organization's data (GET /filter-options); a value in the URL that
 * names nothing there is taken out of the URL, and the bar says so, instead of becoming a make-believe option.
 * Every change goes into the URL, which the screen reads back.
 */
@Component({
  selector: 'hs-cohort-fields',
  template: `
    @for (field of fields; track field.key) {
      <div class="field field-inline">
        <label [for]="idPrefix() + '-' + field.id">{{ field.label }}</label>
        <select
          [id]="idPrefix() + '-' + field.id"
          [attr.data-testid]="'filter-' + field.id"
          (change)="setChoice(field.key, $any($event.target).value)"
        >
          <option value="" [selected]="!values()[field.key]">{{ field.all }}</option>
          @for (option of selectOptions()[field.key]; track option.value) {
            <option [value]="option.value" [selected]="option.value === values()[field.key]">
              {{ option.label }}
            </option>
          }
        </select>
      </div>
    }
    <fieldset class="field field-inline filter-dates">
      <legend>{{ dateLegend() }}</legend>
      <label [for]="idPrefix() + '-' + dateIds()[0]">from</label>
      <input
        [id]="idPrefix() + '-' + dateIds()[0]"
        [attr.data-testid]="'filter-' + dateIds()[0]"
        type="date"
        [value]="values().from ?? ''"
        (change)="setDate(dateKeys()[0], $any($event.target).value)"
      />
      <label [for]="idPrefix() + '-' + dateIds()[1]">to</label>
      <input
        [id]="idPrefix() + '-' + dateIds()[1]"
        [attr.data-testid]="'filter-' + dateIds()[1]"
        type="date"
        [value]="values().to ?? ''"
        (change)="setDate(dateKeys()[1], $any($event.target).value)"
      />
    </fieldset>
    @if (activeCount() > 0) {
      <button type="button" class="button button-ghost" data-testid="filter-clear" (click)="clear()">
        Clear {{ activeCount() === 1 ? 'filter' : activeCount() + ' filters' }}
      </button>
    }
    @if (dropped(); as message) {
      <p class="alert alert-info filter-dropped" role="status" data-testid="filter-dropped">
        {{ message }}
        <button type="button" class="link-button" (click)="dropped.set(null)">Dismiss</button>
      </p>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .filter-dropped {
      flex: 1 1 100%;
      margin: 0;
    }
    .filter-dropped .link-button {
      margin-left: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CohortFieldsComponent {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  /** Prefix of the element ids, unique on the page (e.g. 'funnel' gives 'funnel-job'). */
  readonly idPrefix = input.required<string>();
  readonly values = input.required<CohortFieldValues>();
  /** The URL parameters of the date range, e.g. ['hiredFrom', 'hiredTo']. */
  readonly dateKeys = input.required<readonly [string, string]>();
  readonly dateLegend = input.required<string>();

  protected readonly fields: readonly { key: ChoiceKey; id: string; label: string; all: string }[] = [
    { key: 'jobId', id: 'job', label: 'Job', all: 'All jobs' },
    { key: 'department', id: 'department', label: 'Department', all: 'All departments' },
    { key: 'source', id: 'source', label: 'Source', all: 'All sources' },
  ];
  /** 'hiredFrom' -> 'hired-from'. */
  protected readonly dateIds = computed(
    () =>
      this.dateKeys().map((key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) as [string, string],
  );

  private readonly options = toSignal(
    inject(ApiService)
      .filterOptions()
      .pipe(
        map((options): OptionsState => ({ status: 'ready', options })),
        catchError(() => of<OptionsState>({ status: 'error' })),
      ),
    { initialValue: { status: 'loading' } as OptionsState },
  );

  protected readonly selectOptions = computed((): Record<ChoiceKey, SelectOption[]> => {
    const state = this.options();
    if (state.status === 'ready') return choiceOptions(state.options);
    // Until the list arrives (or if it cannot), the URL's own values are shown as they are.
    const values = this.values();
    const own = (key: ChoiceKey) => {
      const value = values[key];
      return value === null ? [] : [{ value, label: value }];
    };
    return { jobId: own('jobId'), department: own('department'), source: own('source') };
  });

  /** What was taken out of the URL because the data has no such value (null: nothing). */
  protected readonly dropped = signal<string | null>(null);

  protected readonly activeCount = computed(() => {
    const v = this.values();
    return [v.jobId, v.department, v.source, v.from, v.to].filter((value) => value !== null).length;
  });

  constructor() {
    effect(() => {
      const state = this.options();
      if (state.status !== 'ready') return;
      const unknown = unknownChoices(this.values(), state.options);
      if (unknown.length === 0) return;
      untracked(() => {
        this.dropped.set(describeUnknownChoices(unknown));
        this.navigate(Object.fromEntries(unknown.map(({ key }) => [key, null])), true);
      });
    });
  }

  protected setChoice(key: ChoiceKey, value: string): void {
    this.navigate({ [key]: value === '' ? null : value });
  }

  protected setDate(key: string, value: string): void {
    this.navigate({ [key]: parseIsoDate(value) });
  }

  protected clear(): void {
    const [from, to] = this.dateKeys();
    this.navigate({ ...Object.fromEntries(CHOICE_KEYS.map((key) => [key, null])), [from]: null, [to]: null });
  }

  /** Merges into the URL; a correction of the link replaces its history entry instead of adding one. */
  private navigate(queryParams: Record<string, string | null>, replaceUrl = false): void {
    if (!replaceUrl) this.dropped.set(null);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams,
      queryParamsHandling: 'merge',
      replaceUrl,
    });
  }
}
