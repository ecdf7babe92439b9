import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  inject,
  input,
  signal,
  computed,
} from '@angular/core';
import { LegendPosition, LineChartModule, ScaleType, type Color, type Series } from '@swimlane/ngx-charts';

const FALLBACK_WIDTH = 560;

/** Colour-blind-safe palette (Okabe and Ito), first colour our accent blue. */
const PALETTE: Color = {
  name: 'hiresignal',
  selectable: false,
  group: ScaleType.Ordinal,
  domain: ['#2952cc', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#1b1f26'],
};

/**
 * Line chart of one or more series over categories (e.g. r per hire quarter per criterion), sized to its
 * container. Pair it with a table of the same numbers; lines alone are not accessible.
 */
@Component({
  selector: 'hs-line-chart',
  imports: [LineChartModule],
  template: `
    @if (view(); as size) {
      <ngx-charts-line-chart
        [view]="size"
        [results]="data()"
        [scheme]="scheme"
        [animations]="false"
        [legend]="true"
        legendTitle=""
        [legendPosition]="legendBelow"
        [xAxis]="true"
        [yAxis]="true"
        [showXAxisLabel]="!!xAxisLabel()"
        [xAxisLabel]="xAxisLabel()"
        [showYAxisLabel]="!!yAxisLabel()"
        [yAxisLabel]="yAxisLabel()"
        [yAxisTickFormatting]="format()"
        [yScaleMin]="yMin()"
        [yScaleMax]="yMax()"
        [autoScale]="false"
        [referenceLines]="referenceLines()"
        [showRefLines]="true"
        [showRefLabels]="false"
      />
    }
  `,
  styles: ':host { display: block; width: 100%; min-width: 0; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LineChartComponent {
  readonly data = input.required<Series[]>();
  readonly format = input<(value: number) => string>((value) => String(value));
  readonly xAxisLabel = input('');
  readonly yAxisLabel = input('');
  readonly yMin = input(-1);
  readonly yMax = input(1);
  readonly height = input(300);
  /** A horizontal line drawn at this value (e.g. r = 0); null for none. */
  readonly reference = input<number | null>(0);

  protected readonly scheme = PALETTE;
  protected readonly legendBelow = LegendPosition.Below;
  private readonly width = signal(0);

  protected readonly view = computed<[number, number] | null>(() => {
    const width = this.width();
    return width > 0 ? [Math.floor(width), this.height()] : null;
  });

  protected readonly referenceLines = computed(() => {
    const ref = this.reference();
    return ref === null ? [] : [{ name: 'reference', value: ref }];
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
