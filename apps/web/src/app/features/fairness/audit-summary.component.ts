import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, ViewEncapsulation, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { BiasAuditReport } from '@hiresignal/shared';
import { Subject, distinctUntilChanged, map } from 'rxjs';
import { AuthService } from '../../core/auth.service';
import { LOADING, type LoadState, dataOf, errorOf } from '../../core/load-state';
import { loadReport } from './fairness-data';
import {
  NO_FAIRNESS_FILTERS,
  biasAuditParams,
  parseFairnessFilters,
  sameFairnessFilters,
} from './fairness-filters';
import {
  auditSummary,
  auditTables,
  criterionName,
  dateRangeText,
  formatCount,
  formatStat,
} from './fairness-format';
import { AuditTableComponent } from './fairness-tables.component';

/**
 * The bias audit as one printable page: the cohort, data version and definitions, then the six tables.
 * Its print rules are global (no encapsulation) so they can hide the shell around it; they apply only in print
 * and only while this page is open (Angular removes a component's styles with its last instance).
 */
@Component({
  selector: 'hs-audit-summary',
  imports: [AuditTableComponent, RouterLink],
  template: `
    <article class="page audit-summary" aria-labelledby="page-title" data-testid="audit-summary">
      <header class="page-header section-header">
        <div>
          <p class="eyebrow">{{ organization() }}</p>
          <h1 id="page-title">Bias audit summary</h1>
        </div>
        <div class="form-actions no-margin no-print">
          <a
            class="button button-ghost"
            routerLink="/fairness"
            queryParamsHandling="preserve"
            data-testid="back-to-fairness"
            >Back to Fairness</a
          >
          <button type="button" class="button button-primary" data-testid="print-button" (click)="print()">
            Print
          </button>
        </div>
      </header>
      @switch (state().status) {
        @case ('loading') {
          <div class="card state" role="status">
            <span class="spinner" aria-hidden="true"></span> Preparing the audit summary…
          </div>
        }
        @case ('error') {
          <div class="card state state-error" role="alert" data-testid="audit-summary-error">
            <p><strong>The bias audit could not be loaded.</strong> {{ error() }}</p>
            <button type="button" class="button button-ghost" (click)="retry()">Try again</button>
          </div>
        }
        @default {
          @if (report(); as r) {
            <section class="card audit-block" aria-labelledby="scope-title">
              <h2 id="scope-title">Scope</h2>
              <dl class="audit-facts" data-testid="audit-facts">
                <div>
                  <dt>Date range</dt>
                  <dd data-testid="audit-date-range">{{ dateRange() }}</dd>
                </div>
                <div>
                  <dt>Other filters</dt>
                  <dd>{{ otherFilters() }}</dd>
                </div>
                <div>
                  <dt>Criterion</dt>
                  <dd>
                    {{ criterion()
                    }}{{ r.rubric ? ' · rubric ' + r.rubric.name + ' v' + r.rubric.version : '' }}
                  </dd>
                </div>
                <div>
                  <dt>Median score</dt>
                  <dd>
                    {{ formatStat(r.median) }} over {{ formatCount(r.scoredApplications) }} scored
                    applications
                  </dd>
                </div>
                <div>
                  <dt>Data version</dt>
                  <dd data-testid="audit-data-version">{{ r.dataVersion }}</dd>
                </div>
                <div>
                  <dt>Computed</dt>
                  <dd>{{ computedAt() }}</dd>
                </div>
                <div>
                  <dt>Small cells</dt>
                  <dd>Fewer than {{ r.k }} people: suppressed, no number shown</dd>
                </div>
              </dl>
            </section>
            <section class="card audit-block" aria-labelledby="definitions-title">
              <h2 id="definitions-title">Definitions used</h2>
              <ul class="audit-definitions" data-testid="audit-definitions">
                @for (d of r.definitions; track $index) {
                  <li>{{ d }}</li>
                }
              </ul>
              <p class="small">
                An impact ratio below 0.8 (the four-fifths rule of thumb) marks a gap large enough in practice
                to look into; it is not proof of discrimination, and statistical significance is a separate
                question. Small numbers are unstable. Groups under 2% of the applicants are listed but not
                compared; unknown applicants are counted but never part of a ratio.
              </p>
            </section>
            <section class="card audit-block" aria-labelledby="findings-title">
              <h2 id="findings-title">Groups below four-fifths</h2>
              <ul class="audit-definitions" data-testid="audit-findings">
                @for (line of findings(); track $index) {
                  <li>{{ line }}</li>
                }
              </ul>
            </section>
            @for (t of tables(); track t.id) {
              <section class="card audit-block" [attr.aria-label]="t.caption">
                <hs-audit-table
                  [table]="t.table"
                  [kind]="t.kind"
                  [k]="r.k"
                  [caption]="t.caption"
                  [testId]="'summary-' + t.id"
                />
              </section>
            }
          }
        }
      }
    </article>
  `,
  styles: `
    .audit-summary .audit-block {
      margin-top: 1rem;
      padding: 1rem 0;
    }
    .audit-summary .audit-block > h2,
    .audit-summary .audit-block > p,
    .audit-summary .audit-block > ul,
    .audit-summary .audit-block > dl {
      padding: 0 1.25rem;
    }
    .audit-summary .audit-block h2 {
      font-size: 1.1rem;
    }
    .audit-facts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
      gap: 0.5rem 1.5rem;
      margin: 0;
    }
    .audit-facts dt {
      font-size: 0.8rem;
      font-weight: 600;
      color: var(--text-muted);
    }
    .audit-facts dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .audit-definitions {
      margin: 0 0 0.75rem;
      padding-left: 2.5rem !important;
    }
    .audit-definitions li + li {
      margin-top: 0.3rem;
    }
    @media print {
      @page {
        margin: 14mm;
      }
      .skip-link,
      .topbar,
      .sidenav,
      .no-print {
        display: none !important;
      }
      html,
      body,
      .layout,
      .content {
        display: block !important;
        background: #fff !important;
        color: #000 !important;
        padding: 0 !important;
        min-height: 0 !important;
      }
      .audit-summary,
      .audit-summary * {
        color: #000 !important;
        background: #fff !important;
        box-shadow: none !important;
      }
      .audit-summary {
        max-width: none;
        font-size: 10.5pt;
      }
      .audit-summary .card {
        border: 0;
        border-radius: 0;
      }
      .audit-summary .audit-block {
        break-inside: avoid;
        margin-top: 0.5rem;
        padding: 0.25rem 0;
      }
      .audit-summary .table-wrap {
        overflow: visible !important;
      }
      .audit-summary table {
        border: 1px solid #000;
      }
      .audit-summary th,
      .audit-summary td {
        border-color: #000 !important;
      }
      .audit-summary thead {
        display: table-header-group;
      }
      .audit-summary tr {
        break-inside: avoid;
      }
    }
  `,
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditSummaryComponent {
  private readonly http = inject(HttpClient);
  private readonly route = inject(ActivatedRoute);
  private readonly auth = inject(AuthService);
  private readonly retry$ = new Subject<void>();

  private readonly filters$ = this.route.queryParamMap.pipe(
    map(parseFairnessFilters),
    distinctUntilChanged(sameFairnessFilters),
  );
  protected readonly filters = toSignal(this.filters$, { initialValue: NO_FAIRNESS_FILTERS });
  protected readonly state = toSignal(
    loadReport<BiasAuditReport>(this.http, 'bias-audit', this.filters$, biasAuditParams, this.retry$),
    { initialValue: LOADING as LoadState<BiasAuditReport> },
  );
  protected readonly report = computed(() => dataOf(this.state()));
  protected readonly error = computed(() => errorOf(this.state()));
  protected readonly tables = computed(() => {
    const report = this.report();
    return report ? auditTables(report) : [];
  });

  protected readonly findings = computed(() => auditSummary(this.tables()));
  protected readonly formatCount = formatCount;
  protected readonly formatStat = formatStat;
  protected readonly organization = computed(() => this.auth.session()?.organizationName ?? '');
  protected readonly criterion = computed(() =>
    criterionName(this.report()?.criterion ?? this.filters().criterion),
  );
  protected readonly dateRange = computed(() =>
    dateRangeText(this.filters().appliedFrom, this.filters().appliedTo),
  );
  protected readonly otherFilters = computed(() => {
    const f = this.filters();
    const parts = [
      f.jobId ? `job ${f.jobId}` : '',
      f.department ? `department ${f.department}` : '',
      f.source ? `source ${f.source}` : '',
    ].filter((p) => p.length > 0);
    return parts.length > 0 ? parts.join(', ') : 'None: every job, department and source';
  });
  protected readonly computedAt = computed(() => {
    const at = this.report()?.computedAt;
    if (!at) return '—';
    const date = new Date(at);
    return Number.isNaN(date.getTime())
      ? String(at)
      : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  });

  protected print(): void {
    window.print();
  }

  protected retry(): void {
    this.retry$.next();
  }
}
