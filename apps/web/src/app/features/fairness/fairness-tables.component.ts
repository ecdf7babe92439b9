import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { BiasAuditTable, SelectionGroup } from '@hiresignal/shared';
import { TermComponent } from '../../ui/term/term.component';
import {
  STATUS_TEXT,
  auditBelowFourFifths,
  auditStatus,
  formatCount,
  formatP,
  formatRate,
  formatRatio,
  suppressedText,
} from './fairness-format';

/** The selection-rate table of one decision: every group, the unknown count, and why a row has no ratio. */
@Component({
  selector: 'hs-selection-table',
  imports: [TermComponent],
  template: `
    <p class="table-title" aria-hidden="true">{{ caption() }}</p>
    <div class="table-wrap" tabindex="0" role="region" [attr.aria-label]="caption() + ' (table)'">
      <table class="data-table compact" [attr.data-testid]="testId()">
        <caption class="visually-hidden">
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" class="num">Applicants</th>
            <th scope="col" class="num">Selected</th>
            <th scope="col" class="num"><hs-term key="selection-rate">Rate</hs-term></th>
            <th scope="col" class="num"><hs-term key="impact-ratio">Impact ratio</hs-term></th>
            <th scope="col"><hs-term key="four-fifths">Four-fifths</hs-term></th>
            <th scope="col" class="num"><hs-term key="fisher-exact">Fisher p</hs-term></th>
            <th scope="col" class="num">z p</th>
            <th scope="col"><hs-term key="reference-group">Under 2%</hs-term></th>
            <th scope="col"><hs-term key="small-cell-suppression">Suppressed</hs-term></th>
          </tr>
        </thead>
        <tbody>
          @for (g of groups(); track g.group) {
            <tr [attr.data-group]="g.group" [class.row-muted]="g.excluded || g.suppressed">
              <th scope="row">
                {{ g.label }}
                @if (g.reference) {
                  <span class="badge badge-muted">reference</span>
                }
              </th>
              @if (g.suppressed) {
                <td colspan="7" data-col="suppressed-text">{{ suppressed() }}</td>
              } @else {
                <td class="num" data-col="applicants">{{ count(g.applicants) }}</td>
                <td class="num" data-col="selected">{{ count(g.selected) }}</td>
                <td class="num" data-col="rate">{{ rate(g.selectionRate) }}</td>
                <td class="num" data-col="ratio">{{ ratio(g.impactRatio, g.fourFifthsFlag) }}</td>
                <td data-col="flag">
                  @if (g.fourFifthsFlag) {
                    <span class="badge badge-flag">below 0.8</span>
                  } @else if (g.excluded || g.impactRatio === null) {
                    <span class="muted">not compared</span>
                  } @else {
                    no
                  }
                </td>
                <td class="num" data-col="fisher">{{ p(g.fisherP) }}</td>
                <td class="num" data-col="z">{{ p(g.zP) }}</td>
              }
              <td data-col="excluded">{{ g.excluded ? 'yes' : 'no' }}</td>
              <td data-col="suppressed">{{ g.suppressed ? 'yes' : 'no' }}</td>
            </tr>
          }
          <tr class="row-muted" data-group="unknown">
            <th scope="row">Unknown <small class="block">not in ratios or tests</small></th>
            @if (unknownSuppressed()) {
              <td colspan="9" data-col="suppressed-text">{{ suppressed() }}</td>
            } @else {
              <td class="num" data-col="applicants">{{ count(unknown()) }}</td>
              <td colspan="8"></td>
            }
          </tr>
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .badge-flag {
      background: var(--danger-soft);
      color: var(--danger);
    }
    .data-table {
      font-size: 0.86rem;
    }
    .table-title {
      font-weight: 600;
      font-size: 0.95rem;
      margin: 1rem 0 0.5rem;
    }
    /* The group's name stays in view while the numbers scroll sideways. */
    .data-table tbody th,
    .data-table thead th:first-child {
      min-width: 9rem;
      position: sticky;
      left: 0;
      z-index: 1;
      background: var(--surface);
    }
    .data-table thead th:first-child {
      background: var(--surface-muted);
    }
    .data-table th:not(:first-child),
    .data-table td:not(:first-child) {
      padding-left: 0.45rem;
      padding-right: 0.45rem;
    }
    @media print {
      .badge-flag {
        border: 1px solid #000;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SelectionTableComponent {
  readonly groups = input.required<readonly SelectionGroup[]>();
  readonly unknown = input<number | null>(null);
  readonly unknownSuppressed = input(false);
  readonly k = input(5);
  readonly caption = input('Selection rates by group');
  readonly testId = input('selection-table');

  protected readonly count = formatCount;
  protected readonly rate = formatRate;
  protected readonly ratio = formatRatio;
  protected readonly p = formatP;
  protected suppressed(): string {
    return suppressedText(this.k());
  }
}

/**
 * One NYC Local Law 144 table (6 RCNY 5-301): scoring rates (share above the median) or selection rates (hired) by
 * group, with impact ratios, the excluded and suppressed groups, and the unknown count.
 */
@Component({
  selector: 'hs-audit-table',
  imports: [TermComponent],
  template: `
    <p class="table-title" aria-hidden="true">{{ caption() }}</p>
    <div class="table-wrap" tabindex="0" role="region" [attr.aria-label]="caption() + ' (table)'">
      <table class="data-table compact" [attr.data-testid]="testId()">
        <caption class="visually-hidden">
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" class="num">{{ kind() === 'scoring' ? 'Scored applicants' : 'Applicants' }}</th>
            <th scope="col" class="num">{{ kind() === 'scoring' ? 'Above median' : 'Hired' }}</th>
            <th scope="col" class="num">
              <hs-term [key]="kind() === 'scoring' ? 'scoring-rate' : 'selection-rate'">{{
                kind() === 'scoring' ? 'Scoring rate' : 'Selection rate'
              }}</hs-term>
            </th>
            <th scope="col" class="num"><hs-term key="impact-ratio">Impact ratio</hs-term></th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.group.group) {
            <tr
              [attr.data-group]="row.group.group"
              [class.row-muted]="row.group.excluded || row.group.suppressed"
            >
              <th scope="row">{{ row.group.label }}</th>
              @if (row.group.suppressed) {
                <td colspan="4" data-col="suppressed-text">{{ suppressed() }}</td>
              } @else {
                <td class="num" data-col="applicants">{{ count(row.group.applicants) }}</td>
                <td class="num" data-col="above">{{ count(row.group.aboveMedian) }}</td>
                <td class="num" data-col="rate">{{ rate(row.group.scoringRate) }}</td>
                <td class="num" data-col="ratio">
                  {{ ratio(row.group.impactRatio, row.status === 'flagged') }}
                </td>
              }
              <td data-col="status">
                @if (row.status === 'flagged') {
                  <span class="badge badge-flag">{{ statusText[row.status] }}</span>
                } @else {
                  {{ statusText[row.status] }}
                }
              </td>
            </tr>
          }
          <tr class="row-muted" data-group="unknown">
            <th scope="row">Unknown</th>
            @if (table().unknownSuppressed) {
              <td colspan="4" data-col="suppressed-text">{{ suppressed() }}</td>
            } @else {
              <td class="num" data-col="applicants">{{ count(table().unknown) }}</td>
              <td colspan="3"></td>
            }
            <td>Not in ratios</td>
          </tr>
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .badge-flag {
      background: var(--danger-soft);
      color: var(--danger);
    }
    .table-title {
      font-weight: 600;
      font-size: 0.95rem;
      margin: 1rem 0 0.5rem;
    }
    /* The group's name stays in view while the numbers scroll sideways. */
    .data-table tbody th,
    .data-table thead th:first-child {
      min-width: 9rem;
      position: sticky;
      left: 0;
      z-index: 1;
      background: var(--surface);
    }
    .data-table thead th:first-child {
      background: var(--surface-muted);
    }
    .data-table th:not(:first-child),
    .data-table td:not(:first-child) {
      padding-left: 0.45rem;
      padding-right: 0.45rem;
    }
    @media print {
      .badge-flag {
        border: 1px solid #000;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditTableComponent {
  readonly table = input.required<BiasAuditTable>();
  readonly kind = input<'scoring' | 'selection'>('scoring');
  readonly k = input(5);
  readonly caption = input('Scoring rates by group');
  readonly testId = input('audit-table');

  protected readonly statusText = STATUS_TEXT;
  protected readonly count = formatCount;
  protected readonly rate = formatRate;
  protected readonly ratio = formatRatio;

  protected readonly rows = computed(() => {
    const groups = this.table().groups;
    const reference = groups.find((g) => g.reference);
    return groups.map((group) => ({
      group,
      status: auditStatus(group, auditBelowFourFifths(group, reference)),
    }));
  });

  protected suppressed(): string {
    return suppressedText(this.k());
  }
}
