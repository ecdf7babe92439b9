import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { moveRowFocus, tabStop } from '../chart-keys/chart-keys';
import { barDomain, barSpan, barTicks } from './bar-domain';

/** One bar. */
export interface BarItem {
  name: string;
  value: number;
  /** A second line under the name, e.g. "n = 12 of the 30 needed". */
  note?: string;
  /** Drawn hatched in grey (e.g. too little data to trust, or not recommended); say why in `note`. */
  muted?: boolean;
  /** What a screen reader announces for the bar; by default the name, note and value. */
  ariaLabel?: string;
}

/**
 * Horizontal bars, one row per item in the given order: the name (wrapping, never cut) left, the bar on a value axis
 * through zero, the value right. The rows are one tab stop; Up and Down move between them and each announces its
 * numbers. Muted rows are hatched and grey, with a key saying what that means. Pair it with a table of the numbers.
 */
@Component({
  selector: 'hs-bar-chart',
  template: `
    <div class="bc">
      <ul class="bc-rows" [attr.aria-label]="label()" (keydown)="move($event)">
        @for (row of rows(); track row.name; let i = $index) {
          <li
            class="bc-row"
            data-testid="bar"
            [class.bc-muted]="row.muted"
            [attr.tabindex]="i === tabIndex() ? 0 : -1"
            [attr.aria-label]="row.ariaLabel"
            (focus)="focused.set(i)"
          >
            <span class="bc-label" data-testid="bar-label"
              >{{ row.name }}
              @if (row.note) {
                <small>{{ row.note }}</small>
              }
            </span>
            <span class="bc-track" aria-hidden="true">
              @for (tick of ticks(); track tick.value) {
                <span class="bc-grid" [class.bc-zero]="tick.value === 0" [style.left.%]="tick.at"></span>
              }
              <span class="bc-bar" [style.left.%]="row.left" [style.width.%]="row.width"></span>
            </span>
            <span class="bc-value">{{ row.valueText }}</span>
          </li>
        }
      </ul>
      <div class="bc-row bc-axis" aria-hidden="true">
        <span></span>
        <span class="bc-track">
          @for (tick of ticks(); track tick.value) {
            <span class="bc-tick" [class.bc-tick-minor]="tick.minor" [style.left.%]="tick.at">{{
              format()(tick.value)
            }}</span>
          }
        </span>
        <span></span>
      </div>
      @if (xAxisLabel()) {
        <p class="bc-note" aria-hidden="true">{{ xAxisLabel() }}</p>
      }
      @if (keys(); as k) {
        @if (anyMuted()) {
          <p class="bc-note bc-keys" aria-hidden="true">
            <span class="bc-swatch"></span>{{ k[0] }} <span class="bc-swatch bc-swatch-muted"></span
            >{{ k[1] }}
          </p>
        }
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
      container-type: inline-size;
    }
    .bc-rows {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .bc-row {
      display: grid;
      grid-template-columns: minmax(7.5rem, min(11rem, 40%)) minmax(0, 1fr) 3.5rem;
      gap: 0.75rem;
      align-items: center;
      min-height: 2.5rem;
      padding: 0.15rem 0.3rem;
      border-radius: 4px;
    }
    .bc-rows .bc-row:focus-visible {
      outline: 3px solid var(--focus);
      outline-offset: -3px;
      background: var(--surface-muted);
    }
    .bc-label {
      font-size: 0.86rem;
      font-weight: 600;
      line-height: 1.2;
      overflow-wrap: break-word;
    }
    small {
      display: block;
      font-weight: 400;
      font-size: 0.75rem;
      color: var(--text-muted);
    }
    .bc-track {
      position: relative;
      display: block;
      height: 1.6rem;
    }
    .bc-grid {
      position: absolute;
      inset: 0 auto;
      width: 1px;
      background: var(--border);
    }
    .bc-zero {
      background: var(--text-muted);
    }
    .bc-bar {
      position: absolute;
      inset: 0.2rem auto;
      background: var(--accent);
    }
    .bc-muted .bc-bar,
    .bc-swatch.bc-swatch-muted {
      background: repeating-linear-gradient(135deg, #8a919c 0 2px, #e4e7ec 2px 6px);
      outline: 1px dashed #5b6472;
      outline-offset: -1px;
    }
    .bc-muted .bc-label,
    .bc-muted .bc-value {
      color: var(--text-muted);
    }
    .bc-value {
      font-size: 0.84rem;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    .bc-axis {
      min-height: 0;
    }
    .bc-axis .bc-track {
      height: 1.1rem;
    }
    .bc-tick {
      position: absolute;
      transform: translateX(-50%);
      font-size: 0.7rem;
      color: var(--text-muted);
      white-space: nowrap;
    }
    .bc-note {
      margin: 0.2rem 0 0;
      text-align: center;
      font-size: 0.78rem;
      color: var(--text-muted);
    }
    .bc-keys {
      text-align: left;
    }
    .bc-swatch {
      display: inline-block;
      width: 12px;
      height: 12px;
      margin: 0 0.35rem -1px 0.75rem;
      background: var(--accent);
    }
    .bc-swatch:first-child {
      margin-left: 0;
    }
    @container (max-width: 420px) {
      .bc-tick-minor {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChartComponent {
  readonly data = input.required<readonly BarItem[]>();
  readonly format = input<(value: number) => string>((value) => String(value));
  readonly xAxisLabel = input('');
  /** Accessible name of the list of bars. */
  readonly label = input('Bar chart');
  /** The key under the chart when a row is muted: [what a plain bar means, what a hatched one means]. */
  readonly keys = input<readonly [string, string] | null>(null);
  /** The value axis always spans at least [xMin, xMax] and widens to whole tick steps around the data. */
  readonly xMin = input(0);
  readonly xMax = input(0);
  readonly tickStep = input(0.1);

  protected readonly focused = signal(-1);
  protected readonly tabIndex = computed(() => tabStop(this.focused(), this.data().length));

  protected readonly domain = computed(() =>
    barDomain(
      this.data().map((item) => item.value),
      this.xMin(),
      this.xMax(),
      this.tickStep(),
    ),
  );

  protected readonly ticks = computed(() => {
    const [min, max] = this.domain();
    const ticks = barTicks(this.domain(), this.tickStep());
    // On a narrow chart only the ends and zero keep their labels.
    return ticks.map((value, i) => ({
      value,
      at: ((value - min) / (max - min)) * 100,
      minor: value !== 0 && i > 0 && i < ticks.length - 1,
    }));
  });

  protected readonly rows = computed(() => {
    const format = this.format();
    return this.data().map((item) => {
      const valueText = format(item.value);
      return {
        ...item,
        ...barSpan(item.value, this.domain()),
        valueText,
        ariaLabel: item.ariaLabel ?? `${item.name}${item.note ? `, ${item.note}` : ''}: ${valueText}`,
      };
    });
  });

  protected readonly anyMuted = computed(() => this.data().some((item) => item.muted));

  protected move(event: KeyboardEvent): void {
    moveRowFocus(event);
  }
}
