import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { moveRowFocus, tabStop } from '../chart-keys/chart-keys';
import { type ForestPoint, type ForestRow, ticksFor, toPercent } from './forest-scale';

/**
 * A small accessible forest plot: one row per estimate, a point with its 95% interval as a horizontal line, a
 * reference line (zero), and an optional second estimate per row. ngx-charts has no error bars, hence this.
 * The rows are one tab stop (then Up and Down, Home and End) and announce their numbers; selectable rows answer Enter
 * and Space.
 * Pair it with a table of the same numbers.
 */
@Component({
  selector: 'hs-forest-plot',
  template: `
    <div class="forest" [class.forest-wide-values]="wideValues()" [attr.data-testid]="testId()">
      @if (secondaryName()) {
        <p class="legend" aria-hidden="true">
          <span class="forest-key forest-key-primary"></span> {{ primaryName() }}
          <span class="forest-key forest-key-secondary"></span> {{ secondaryName() }}
        </p>
      }
      <ul class="forest-rows" [attr.aria-label]="label()" (keydown)="move($event)">
        @for (row of rows(); track row.id; let i = $index) {
          <li
            class="forest-row"
            [attr.tabindex]="i === tabIndex() ? 0 : -1"
            (focus)="focused.set(i)"
            data-testid="forest-row"
            [attr.data-id]="row.id"
            [attr.aria-label]="row.ariaLabel"
            [attr.aria-current]="selectable() && row.id === selectedId() ? 'true' : null"
            [class.forest-muted]="row.muted"
            [class.forest-emphasis]="row.emphasis"
            [class.forest-selectable]="selectable()"
            [class.forest-selected]="selectable() && row.id === selectedId()"
            (click)="choose(row)"
            (keydown.enter)="choose(row)"
            (keydown.space)="choose(row); $event.preventDefault()"
          >
            <span class="forest-label"
              >{{ row.label }}
              @if (row.note) {
                <small>{{ row.note }}</small>
              }
            </span>
            <svg
              class="forest-svg"
              [class.forest-double]="!!row.secondary"
              aria-hidden="true"
              focusable="false"
            >
              @for (tick of ticks(); track tick) {
                <line class="forest-grid" [attr.x1]="x(tick)" [attr.x2]="x(tick)" y1="0" y2="100%" />
              }
              @if (referenceX(); as ref) {
                <line class="forest-ref" [attr.x1]="ref" [attr.x2]="ref" y1="0" y2="100%" />
              }
              @for (mark of marks(row); track mark.kind) {
                <g [class]="'forest-mark forest-' + mark.kind">
                  @if (mark.low !== null && mark.high !== null) {
                    <line
                      class="forest-ci"
                      [attr.x1]="mark.low"
                      [attr.x2]="mark.high"
                      [attr.y1]="mark.y"
                      [attr.y2]="mark.y"
                    />
                    <line
                      class="forest-cap"
                      [attr.x1]="mark.low"
                      [attr.x2]="mark.low"
                      [attr.y1]="mark.capTop"
                      [attr.y2]="mark.capBottom"
                    />
                    <line
                      class="forest-cap"
                      [attr.x1]="mark.high"
                      [attr.x2]="mark.high"
                      [attr.y1]="mark.capTop"
                      [attr.y2]="mark.capBottom"
                    />
                  }
                  @if (mark.x !== null) {
                    <circle class="forest-point" [attr.cx]="mark.x" [attr.cy]="mark.y" r="5" />
                  }
                </g>
              }
            </svg>
            <span class="forest-value">{{ row.valueText }}</span>
          </li>
        }
      </ul>
      <div class="forest-axis" aria-hidden="true">
        <span></span>
        <svg class="forest-axis-svg" focusable="false">
          @for (tick of ticks(); track tick; let i = $index) {
            <text
              [attr.x]="x(tick)"
              y="14"
              [attr.text-anchor]="anchor(tick)"
              [class.forest-tick-minor]="minorTick(tick, i)"
            >
              {{ format()(tick) }}
            </text>
          }
        </svg>
        <span></span>
      </div>
      @if (axisLabel()) {
        <p class="forest-axis-label" aria-hidden="true">{{ axisLabel() }}</p>
      }
    </div>
  `,
  styles: ':host { display: block; min-width: 0; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForestPlotComponent {
  readonly rows = input.required<readonly ForestRow[]>();
  readonly domain = input<[number, number]>([-1, 1]);
  readonly tickStep = input(0.2);
  /** Where the "no effect" line goes; null for none. */
  readonly reference = input<number | null>(0);
  readonly format = input<(value: number) => string>((value) => String(value));
  readonly axisLabel = input('');
  /** Accessible name of the list of rows. */
  readonly label = input('Estimates with 95% intervals');
  readonly primaryName = input('');
  readonly secondaryName = input('');
  readonly selectable = input(false);
  /** Room for longer value texts, e.g. "0.55 (obs. .41)". */
  readonly wideValues = input(false);
  readonly selectedId = input<string | null>(null);
  readonly testId = input('forest-plot');
  readonly selected = output<string>();

  protected readonly focused = signal(-1);
  protected readonly tabIndex = computed(() => tabStop(this.focused(), this.rows().length));
  protected readonly ticks = computed(() => ticksFor(this.domain(), this.tickStep()));

  protected readonly referenceX = computed(() => {
    const ref = this.reference();
    const [min, max] = this.domain();
    return ref !== null && ref >= min && ref <= max ? this.x(ref) : null;
  });

  protected x(value: number): string {
    return `${toPercent(value, this.domain())}%`;
  }

  /** On a narrow plot only the ends and the reference keep their labels. */
  protected minorTick(tick: number, index: number): boolean {
    return index > 0 && index < this.ticks().length - 1 && tick !== (this.reference() ?? 0);
  }

  protected anchor(tick: number): string {
    const [min, max] = this.domain();
    return tick <= min ? 'start' : tick >= max ? 'end' : 'middle';
  }

  protected marks(row: ForestRow) {
    const mark = (kind: string, point: ForestPoint, y: number) => ({
      kind,
      x: point.value === null ? null : this.x(point.value),
      low: point.ciLow === null ? null : this.x(point.ciLow),
      high: point.ciHigh === null ? null : this.x(point.ciHigh),
      y: `${y}%`,
      capTop: `${y - 14}%`,
      capBottom: `${y + 14}%`,
    });
    return row.secondary
      ? [mark('primary', row.primary, 30), mark('secondary', row.secondary, 70)]
      : [mark('primary', row.primary, 50)];
  }

  protected choose(row: ForestRow): void {
    if (this.selectable()) {
      this.selected.emit(row.id);
    }
  }

  /** Up and down arrows move between rows, Home and End to the first and last. */
  protected move(event: KeyboardEvent): void {
    moveRowFocus(event);
  }
}
