import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { SelectionGroup } from '@hiresignal/shared';
import {
  FOUR_FIFTHS,
  barPercent,
  formatCount,
  formatP,
  formatRate,
  formatRatio,
  significanceWord,
  suppressedText,
} from './fairness-format';

interface ImpactRow {
  id: string;
  label: string;
  note: string;
  /** Bar width in % of the axis; null draws no bar (excluded, suppressed, unknown). */
  width: number | null;
  /** Said in place of a bar. */
  inPlace: string;
  value: string;
  detail: string;
  tone: 'flag' | 'ok' | 'reference' | 'none';
}

/**
 * Impact ratios as horizontal bars on 0 to 1 with the four-fifths line at 0.8, each bar with its ratio and the
 * Fisher p beside it. Excluded, suppressed and unknown groups keep a row that says why they have no bar.
 * ngx-charts' bar chart has no reference line, hence this small chart; pair it with the table of the same numbers.
 */
@Component({
  selector: 'hs-impact-chart',
  template: `
    <div class="ir" data-testid="impact-chart">
      <ul class="ir-rows" [attr.aria-label]="label()">
        @for (row of rows(); track row.id) {
          <li class="ir-row" [class]="'ir-' + row.tone" data-testid="impact-bar" [attr.data-group]="row.id">
            <span class="ir-label"
              >{{ row.label }}<small>{{ row.note }}</small></span
            >
            <span class="ir-track">
              @if (row.width !== null) {
                <span class="ir-bar" [style.width.%]="row.width" aria-hidden="true"></span>
              } @else {
                <span class="ir-in-place">{{ row.inPlace }}</span>
              }
              <span class="ir-line" [style.left.%]="linePercent" aria-hidden="true"></span>
            </span>
            <span class="ir-value"
              >{{ row.value }}<small>{{ row.detail }}</small></span
            >
          </li>
        }
      </ul>
      <div class="ir-row ir-axis" aria-hidden="true">
        <span></span>
        <span class="ir-track">
          @for (tick of ticks; track tick) {
            <span class="ir-tick" [style.left.%]="tick * 100">{{ tick.toFixed(1) }}</span>
          }
        </span>
        <span></span>
      </div>
      <p class="ir-key" aria-hidden="true">
        Impact ratio (dashed line: 0.8, the four-fifths rule of thumb; red: below it)
      </p>
    </div>
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
      container-type: inline-size;
    }
    .ir-rows {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .ir-row {
      display: grid;
      grid-template-columns: minmax(6rem, 11rem) minmax(0, 1fr) 8rem;
      gap: 0.25rem 0.75rem;
      align-items: center;
      padding: 0.3rem 0;
    }
    .ir-label,
    .ir-value {
      font-size: 0.86rem;
      font-weight: 600;
      line-height: 1.2;
      overflow-wrap: anywhere;
    }
    .ir-value {
      font-variant-numeric: tabular-nums;
    }
    small {
      display: block;
      font-weight: 400;
      font-size: 0.75rem;
      color: var(--text-muted);
    }
    .ir-track {
      position: relative;
      display: block;
      min-height: 1.6rem;
      background: repeating-linear-gradient(90deg, var(--border) 0 1px, transparent 1px 20%);
    }
    .ir-bar {
      position: absolute;
      inset: 0.2rem auto 0.2rem 0;
      background: var(--accent);
    }
    .ir-flag .ir-bar {
      background: var(--danger);
    }
    .ir-flag .ir-value {
      color: var(--danger);
    }
    .ir-reference .ir-bar {
      background: #1b2a55;
    }
    .ir-in-place {
      position: relative;
      display: block;
      padding: 0.2rem 0.4rem;
      font-size: 0.8rem;
      color: var(--text-muted);
      background: var(--surface);
      z-index: 1;
    }
    .ir-line {
      position: absolute;
      top: -0.3rem;
      bottom: -0.3rem;
      border-left: 2px dashed var(--text);
    }
    .ir-axis .ir-track {
      background: none;
      min-height: 1.2rem;
    }
    .ir-tick {
      position: absolute;
      transform: translateX(-50%);
      font-size: 0.72rem;
      color: var(--text-muted);
    }
    .ir-tick:first-child {
      transform: none;
    }
    .ir-tick:last-child {
      transform: translateX(-100%);
    }
    .ir-key {
      font-size: 0.78rem;
      color: var(--text-muted);
      margin: 0.25rem 0 0;
    }
    /* Narrow: the label and the numbers on one line, the bar across the whole width below them. */
    @container (max-width: 680px) {
      .ir-row {
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-areas: 'label value' 'track track';
      }
      .ir-label {
        grid-area: label;
      }
      .ir-value {
        grid-area: value;
        text-align: right;
        max-width: 10rem;
      }
      .ir-track {
        grid-area: track;
      }
      .ir-axis {
        grid-template-areas: 'track';
        grid-template-columns: minmax(0, 1fr);
      }
      .ir-axis > span:not(.ir-track) {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImpactChartComponent {
  readonly groups = input.required<readonly SelectionGroup[]>();
  readonly k = input(5);
  /** Applicants without demographics at this decision (null when suppressed). */
  readonly unknown = input<number | null>(null);
  readonly unknownSuppressed = input(false);
  readonly label = input('Impact ratio by group');

  protected readonly linePercent = FOUR_FIFTHS * 100;
  protected readonly ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];

  protected readonly rows = computed<ImpactRow[]>(() => {
    const k = this.k();
    const rows = this.groups().map((g): ImpactRow => {
      const note =
        g.applicants === null ? '' : `${formatCount(g.selected)} of ${formatCount(g.applicants)} selected`;
      if (g.suppressed)
        return {
          id: g.group,
          label: g.label,
          note: '',
          width: null,
          inPlace: suppressedText(k),
          value: '',
          detail: '',
          tone: 'none',
        };
      if (g.excluded)
        return {
          id: g.group,
          label: g.label,
          note,
          width: null,
          inPlace: `excluded: under 2% of applicants (rate ${formatRate(g.selectionRate)})`,
          value: '',
          detail: '',
          tone: 'none',
        };
      const significance = significanceWord(g.fisherP);
      return {
        id: g.group,
        label: g.label,
        note,
        width: barPercent(g.impactRatio, 1),
        inPlace: '',
        value: g.reference
          ? '1.00 reference'
          : `${formatRatio(g.impactRatio, g.fourFifthsFlag)}${g.fourFifthsFlag ? ' below 0.8' : ''}`,
        detail: g.reference
          ? `highest rate, ${formatRate(g.selectionRate)}`
          : significance
            ? `Fisher p ${formatP(g.fisherP)}, z p ${formatP(g.zP)}: ${significance}`
            : 'no test',
        tone: g.reference ? 'reference' : g.fourFifthsFlag ? 'flag' : 'ok',
      };
    });
    const unknown = this.unknown();
    if (unknown !== null || this.unknownSuppressed()) {
      rows.push({
        id: 'unknown',
        label: 'Unknown',
        note: this.unknownSuppressed() ? '' : `${formatCount(unknown)} applicants`,
        width: null,
        inPlace: this.unknownSuppressed()
          ? suppressedText(k)
          : 'no demographics or declined: counted, never in a ratio or test',
        value: '',
        detail: '',
        tone: 'none',
      });
    }
    return rows;
  });
}
