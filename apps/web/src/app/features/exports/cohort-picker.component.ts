import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import type { CohortFilters } from '@hiresignal/shared';
import { can } from '../../core/access';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { ExportsApiService } from './exports-api.service';
import {
  type CohortKey,
  cohortUrlParams,
  describeFilters,
  describeKeys,
  pickFilters,
  sameCohortFilters,
  unusedKeys,
} from './exports-format';

/**
 * The "Cohort" select of a filter bar: choosing a saved cohort puts its filters into the URL (the screen reads them
 * back); "Save as cohort" names the current filters. Shown to every role that may use cohorts.
 */
@Component({
  selector: 'hs-cohort-picker',
  template: `
    @if (allowed()) {
      <div class="field field-inline cohort-field">
        <label [for]="idPrefix() + '-select'">Cohort</label>
        <select
          [id]="idPrefix() + '-select'"
          data-testid="cohort-select"
          [attr.aria-describedby]="idPrefix() + '-note'"
          (change)="choose($any($event.target).value)"
        >
          <option value="" [selected]="!selected()">
            {{ activeCount() > 0 ? 'Custom filters' : 'None' }}
          </option>
          @for (cohort of cohorts(); track cohort.id) {
            <option [value]="cohort.id" [selected]="cohort.id === selected()?.id">{{ cohort.name }}</option>
          }
        </select>
      </div>
      @if (!naming()) {
        <button
          type="button"
          class="button button-ghost"
          data-testid="cohort-save-open"
          [disabled]="activeCount() === 0"
          [attr.title]="activeCount() === 0 ? 'Choose a filter first: a cohort is a set of filters' : null"
          (click)="openNaming()"
        >
          Save as cohort
        </button>
      } @else {
        <div class="field field-inline cohort-name" role="group" [attr.aria-label]="'Save as cohort'">
          <label [for]="idPrefix() + '-name'">Cohort name</label>
          <input
            #nameInput
            [id]="idPrefix() + '-name'"
            data-testid="cohort-name"
            type="text"
            maxlength="200"
            autocomplete="off"
            [value]="name()"
            [attr.aria-invalid]="nameError() ? true : null"
            [attr.aria-describedby]="idPrefix() + '-note'"
            (input)="name.set($any($event.target).value)"
            (keydown.enter)="$event.preventDefault(); save()"
            (keydown.escape)="closeNaming()"
          />
          <button
            type="button"
            class="button button-primary button-small"
            data-testid="cohort-save"
            [disabled]="busy()"
            (click)="save()"
          >
            Save
          </button>
          <button type="button" class="button button-ghost" (click)="closeNaming()">Cancel</button>
        </div>
      }
      <p
        class="cohort-note small"
        [id]="idPrefix() + '-note'"
        role="status"
        data-testid="cohort-note"
        [class.danger-text]="!!nameError()"
        [class.visually-hidden]="!note()"
      >
        {{ note() }}
      </p>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .cohort-name input {
      min-width: 0;
      width: 14rem;
      max-width: 100%;
    }
    .cohort-name {
      flex-wrap: wrap;
    }
    .cohort-note {
      flex: 1 1 100%;
      margin: -0.5rem 0 0;
    }
    .button-small {
      min-height: 2.1rem;
      padding: 0.3rem 0.8rem;
      font-size: 0.88rem;
    }
    @media (max-width: 480px) {
      .cohort-field,
      .cohort-name {
        flex-wrap: wrap;
        max-width: 100%;
      }
      .cohort-field select,
      .cohort-name input {
        min-width: 0;
        max-width: 100%;
        flex: 1 1 8rem;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CohortPickerComponent {
  private readonly api = inject(ExportsApiService);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  /** The screen's current filters (only the ones set). */
  readonly filters = input.required<CohortFilters>();
  /** The filters this screen keeps in its URL; a cohort's other filters do not apply here. */
  readonly keys = input.required<readonly CohortKey[]>();
  readonly idPrefix = input('cohort');

  protected readonly allowed = computed(() => {
    const role = this.auth.session()?.role;
    return !!role && can(role, 'cohorts');
  });

  protected readonly cohorts = computed(() => this.api.cohorts() ?? []);
  protected readonly activeCount = computed(() => Object.keys(this.filters()).length);

  /** The saved cohort whose filters (the part this screen applies) are the screen's filters. */
  protected readonly selected = computed(() => {
    const current = this.filters();
    const keys = this.keys();
    if (Object.keys(current).length === 0) return null;
    return this.cohorts().find((c) => sameCohortFilters(pickFilters(c.filters, keys), current)) ?? null;
  });

  protected readonly naming = signal(false);
  protected readonly name = signal('');
  protected readonly busy = signal(false);
  protected readonly nameError = signal('');
  private readonly saved = signal('');

  private readonly nameInput = viewChild<ElementRef<HTMLInputElement>>('nameInput');

  /** One line under the bar: an error, what was saved, or what of the chosen cohort this screen leaves out. */
  protected readonly note = computed(() => {
    if (this.nameError()) return this.nameError();
    if (this.saved()) return this.saved();
    const cohort = this.selected();
    const unused = cohort ? unusedKeys(cohort.filters, this.keys()) : [];
    return cohort && unused.length > 0
      ? `This screen does not filter by the cohort's ${describeKeys(unused)}; exports of the cohort do.`
      : '';
  });

  constructor() {
    if (this.allowed()) this.api.loadCohorts();
  }

  protected choose(id: string): void {
    this.saved.set('');
    this.nameError.set('');
    const cohort = this.cohorts().find((c) => c.id === id);
    const filters = cohort ? cohort.filters : {};
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: cohortUrlParams(filters, this.keys()),
      queryParamsHandling: 'merge',
    });
  }

  protected openNaming(): void {
    this.saved.set('');
    this.nameError.set('');
    this.name.set(this.selected()?.name ?? '');
    this.naming.set(true);
    setTimeout(() => this.nameInput()?.nativeElement.focus());
  }

  protected closeNaming(): void {
    this.naming.set(false);
    this.nameError.set('');
  }

  protected save(): void {
    const name = this.name().trim();
    if (!name) {
      this.nameError.set('Give the cohort a name.');
      this.nameInput()?.nativeElement.focus();
      return;
    }
    const filters = this.filters();
    this.busy.set(true);
    this.nameError.set('');
    this.api.createCohort(name, filters).subscribe({
      next: () => {
        this.busy.set(false);
        this.naming.set(false);
        this.saved.set(`Saved as cohort "${name}": ${describeFilters(filters)}.`);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.nameError.set(`The cohort was not saved. ${describeHttpError(error)}`);
        this.nameInput()?.nativeElement.focus();
      },
    });
  }
}
