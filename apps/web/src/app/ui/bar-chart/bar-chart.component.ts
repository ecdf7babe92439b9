import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { BarChartModule, type DataItem } from '@swimlane/ngx-charts';
import { barDomain } from './bar-domain';

const ACCENT = '#2952cc';
const MUTED = '#a7adb8';
const BAR_ROW_HEIGHT = 44;
const AXIS_HEIGHT = 64;
const FALLBACK_WIDTH = 560;

/**
 * Horizontal bar chart: one bar per DataItem, in the given order, sized to its container.
 * ngx-charts needs explicit dimensions, so the host is measured and the height follows the bar count.
 * Pair it with a table of the same numbers; bars alone are not accessible.
 */
@Component({
  selector: 'hs-bar-chart',
  imports: [BarChartModule],
  template: `
    @if (view(); as size) {
      <ngx-charts-bar-horizontal
        [view]="size"
        [results]="data()"
        [customColors]="colorFor()"
        [animations]="false"
        [xAxis]="true"
        [yAxis]="true"
        [showXAxisLabel]="!!xAxisLabel()"
        [xAxisLabel]="xAxisLabel()"
        [xAxisTickFormatting]="format()"
        [showDataLabel]="true"
        [dataLabelFormatting]="format()"
        [trimYAxisTicks]="false"
        [maxYAxisTickLength]="48"
        [xScaleMin]="domain()[0]"
        [xScaleMax]="domain()[1]"
        [xAxisTicks]="ticks()"
        [roundEdges]="false"
        [barPadding]="14"
        [gradient]="false"
      />
    }
  `,
  styles: ':host { display: block; width: 100%; min-width: 0; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChartComponent {
  readonly data = input.required<DataItem[]>();
  /** Names of bars drawn in grey (e.g. too little data to trust). */
  readonly mutedNames = input<readonly string[]>([]);
  readonly format = input<(value: number) => string>((value) => String(value));
  readonly xAxisLabel = input<string>('');
  /** The value axis always spans at least [xMin, xMax] and widens to whole tick steps around the data. */
  readonly xMin = input(0);
  readonly xMax = input(0);
  readonly tickStep = input(0.1);

  private readonly width = signal(0);

  protected readonly view = computed<[number, number] | null>(() => {
    const width = this.width();
    if (width <= 0) {
      return null;
    }
    return [Math.floor(width), this.data().length * BAR_ROW_HEIGHT + AXIS_HEIGHT];
  });

  protected readonly domain = computed<[number, number]>(() =>
    barDomain(
      this.data().map((item) => item.value),
      this.xMin(),
      this.xMax(),
      this.tickStep(),
    ),
  );

  protected readonly ticks = computed(() => {
    const step = this.tickStep();
    const [low, high] = this.domain();
    const ticks: number[] = [];
    for (let i = Math.round(low / step); i <= Math.round(high / step); i++) {
      ticks.push(Number((i * step).toFixed(6)));
    }
    return ticks;
  });

  protected readonly colorFor = computed(() => {
    const muted = new Set(this.mutedNames());
    return (name: string) => (muted.has(name) ? MUTED : ACCENT);
  });

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.width.set(host.getBoundingClientRect().width || FALLBACK_WIDTH);
      const observer = new ResizeObserver(([entry]) => {
        const next = Math.floor(entry.contentRect.width);
        if (next > 0 && next !== this.width()) {
          this.width.set(next);
        }
      });
      observer.observe(host);
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }
}
