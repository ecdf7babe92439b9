import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { AuditEntry } from '@hiresignal/shared';
import { Subject, combineLatest, distinctUntilChanged, map, startWith, switchMap } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { describeOrigin } from '../../core/device';
import { describeHttpError } from '../../core/http-error';
import { toLoadState } from '../../core/load-state';
import { formatWhen } from '../imports/imports-format';
import {
  ACTION_LABELS,
  AUDIT_PAGE_SIZE,
  type AuditFilters,
  actionLabel,
  actorText,
  auditApiParams,
  auditQueryParams,
  detailText,
  entryOrigin,
  parseAuditFilters,
  targetText,
} from './audit-format';

type ListState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready' };

@Component({
  selector: 'hs-audit',
  template: `
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">Audit log</h1>
        <p class="lede">
          Every sign-in, invitation, role change, API key and settings change in your organization, newest
          first: who did it, when and from where. Entries cannot be edited or deleted.
        </p>
      </header>

      <form
        class="filters"
        aria-label="Filter the audit log"
        data-testid="audit-filters"
        (submit)="apply($event, action.value, from.value, to.value)"
      >
        <div class="field-inline">
          <label for="audit-action">Action</label>
          <input
            #action
            id="audit-action"
            type="text"
            list="audit-actions"
            placeholder="All actions"
            aria-describedby="audit-action-help"
            data-testid="audit-action"
            [value]="filters().action"
          />
          <datalist id="audit-actions">
            @for (option of actionOptions; track option.code) {
              <option [value]="option.code">{{ option.label }}</option>
            }
          </datalist>
          <span class="visually-hidden" id="audit-action-help"
            >An action such as user.login, or the start of one ending in a dot, such as user.</span
          >
        </div>
        <div class="field-inline filter-dates">
          <label for="audit-from">From</label>
          <input #from id="audit-from" type="date" data-testid="audit-from" [value]="filters().from" />
        </div>
        <div class="field-inline filter-dates">
          <label for="audit-to">To</label>
          <input #to id="audit-to" type="date" data-testid="audit-to" [value]="filters().to" />
        </div>
        <div class="form-actions no-margin">
          <button type="submit" class="button button-primary" data-testid="audit-apply">Show</button>
          @if (filtered()) {
            <button type="button" class="button button-ghost" (click)="clear()">Clear filters</button>
          }
          <a class="button button-ghost" data-testid="audit-export" [href]="exportUrl()" download
            >Export CSV</a
          >
        </div>
      </form>

      <section class="card table-card" aria-labelledby="entries-title" data-testid="audit-entries">
        <h2 id="entries-title" class="visually-hidden">Entries</h2>
        @switch (state().status) {
          @case ('loading') {
            <p class="muted padded" role="status">
              <span class="spinner" aria-hidden="true"></span> Loading…
            </p>
          }
          @case ('error') {
            <p class="alert alert-error padded-alert" role="alert">
              The audit log could not be loaded. {{ errorMessage() }}
              <button type="button" class="button button-ghost" (click)="retry()">Try again</button>
            </p>
          }
          @default {
            @if (entries().length === 0) {
              <p class="muted padded" data-testid="audit-empty">
                {{ filtered() ? 'No entries match these filters.' : 'Nothing has been recorded yet.' }}
              </p>
            } @else {
              <div class="table-wrap">
                <table class="data-table compact">
                  <caption class="visually-hidden">
                    Audit log entries, newest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">Target</th>
                      <th scope="col">From where</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (e of entries(); track e.id) {
                      <tr data-testid="audit-row" [attr.data-action]="e.action">
                        <td class="nowrap">{{ formatWhen(e.at) }}</td>
                        <td class="cell-email">{{ actor(e) }}</td>
                        <th scope="row">
                          {{ actionLabel(e.action) }}
                          <small class="muted block"
                            ><code>{{ e.action }}</code></small
                          >
                        </th>
                        <td class="cell-email">{{ target(e) }}</td>
                        <td class="small">{{ origin(e) }}</td>
                        <td class="small cell-detail">{{ detail(e.detail) }}</td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            }
          }
        }
        @if (olderError(); as message) {
          <p class="alert alert-error padded-alert" role="alert">
            Older entries could not be loaded. {{ message }}
          </p>
        }
        @if (nextBefore() && state().status === 'ready') {
          <div class="padded load-more">
            <button
              type="button"
              class="button button-ghost"
              data-testid="audit-older"
              [disabled]="loadingOlder()"
              (click)="loadOlder()"
            >
              {{ loadingOlder() ? 'Loading…' : 'Load older entries' }}
            </button>
          </div>
        }
      </section>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseAuditFilters),
    distinctUntilChanged((a, b) => a.action === b.action && a.from === b.from && a.to === b.to),
  );
  protected readonly filters = toSignal(this.filters$, { requireSync: true });
  protected readonly filtered = computed(() => {
    const f = this.filters();
    return !!(f.action || f.from || f.to);
  });
  protected readonly exportUrl = computed(() => this.api.auditExportUrl(auditApiParams(this.filters())));

  protected readonly actionOptions = Object.entries(ACTION_LABELS).map(([code, label]) => ({ code, label }));
  protected readonly state = signal<ListState>({ status: 'loading' });
  protected readonly errorMessage = signal('');
  protected readonly entries = signal<AuditEntry[]>([]);
  protected readonly nextBefore = signal<string | null>(null);
  protected readonly loadingOlder = signal(false);
  protected readonly olderError = signal<string | null>(null);

  protected readonly formatWhen = formatWhen;
  protected readonly actionLabel = actionLabel;
  protected readonly actor = actorText;
  protected readonly target = targetText;
  protected readonly detail = (d: Record<string, unknown>) => detailText(d);
  protected readonly origin = (e: AuditEntry) => {
    const { ip, userAgent } = entryOrigin(e);
    return describeOrigin(ip, userAgent);
  };

  constructor() {
    combineLatest([this.filters$, this.retry$.pipe(startWith(undefined))])
      .pipe(
        switchMap(([filters]) =>
          toLoadState(this.api.auditLog(auditApiParams(filters, { limit: AUDIT_PAGE_SIZE }))),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((state) => {
        this.olderError.set(null);
        if (state.status === 'ready') {
          this.entries.set(state.data.entries);
          this.nextBefore.set(state.data.nextBefore);
          this.state.set({ status: 'ready' });
        } else if (state.status === 'error') {
          this.errorMessage.set(state.message);
          this.state.set(state);
        } else {
          this.state.set(state);
        }
      });
  }

  protected apply(event: Event, action: string, from: string, to: string): void {
    event.preventDefault();
    const filters: AuditFilters = parseAuditFilters({
      get: (name) => ({ action, from, to })[name as keyof AuditFilters] ?? null,
    });
    void this.router.navigate([], { relativeTo: this.route, queryParams: auditQueryParams(filters) });
  }

  protected clear(): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: {} });
  }

  protected retry(): void {
    this.retry$.next();
  }

  protected loadOlder(): void {
    const before = this.nextBefore();
    if (!before) {
      return;
    }
    this.loadingOlder.set(true);
    this.olderError.set(null);
    this.api.auditLog(auditApiParams(this.filters(), { before, limit: AUDIT_PAGE_SIZE })).subscribe({
      next: (page) => {
        this.loadingOlder.set(false);
        this.entries.update((entries) => [...entries, ...page.entries]);
        this.nextBefore.set(page.nextBefore);
      },
      error: (error: unknown) => {
        this.loadingOlder.set(false);
        this.olderError.set(describeHttpError(error));
      },
    });
  }
}
