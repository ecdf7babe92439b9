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
import { type LineSeries, categoriesOf, labelEvery, niceStep, segments, valueTicks } from './line-scale';

export type { LineSeries } from './line-scale';

const FALLBACK_WIDTH = 560;
/** Colour-blind-safe palette (Okabe and Ito), first colour our accent blue; each line also has its own marker. */
const COLORS = ['#2952cc', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#1b1f26'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross', 'plus'] as const;
type Shape = (typeof SHAPES)[number];
const MARGIN = { top: 12, right: 16, bottom: 44 };

let instances = 0;

/** An SVG path for a marker of the shape centred on (x, y), about 2r across. */
function markerPath(shape: Shape, x: number, y: number, r: number): string {
  const p = (dx: number, dy: number) => `${(x + dx).toFixed(1)},${(y + dy).toFixed(1)}`;
  switch (shape) {
    case 'square':
      return `M${p(-r * 0.85, -r * 0.85)}H${(x + r * 0.85).toFixed(1)}V${(y + r * 0.85).toFixed(1)}H${(x - r * 0.85).toFixed(1)}Z`;
    case 'triangle':
      return `M${p(0, -r * 1.1)}L${p(r, r * 0.8)}L${p(-r, r * 0.8)}Z`;
    case 'triangle-down':
      return `M${p(0, r * 1.1)}L${p(r, -r * 0.8)}L${p(-r, -r * 0.8)}Z`;
    case 'diamond':
      return `M${p(0, -r * 1.15)}L${p(r * 1.15, 0)}L${p(0, r * 1.15)}L${p(-r * 1.15, 0)}Z`;
    case 'cross':
      return `M${p(-r, -r)}L${p(r, r)}M${p(r, -r)}L${p(-r, r)}`;
    case 'plus':
      return `M${p(-r, 0)}L${p(r, 0)}M${p(0, -r)}L${p(0, r)}`;
    default:
      return `M${p(-r, 0)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
}

/**
 * Lines over categories (e.g. r per hire quarter per criterion), drawn in SVG sized to the container. Each line has
 * its own colour and marker, named in a key inside the chart's box. Categories with too little data (`mutedCategories`)
 * sit on a hatched band with hollow points and dashed, faint segments, and the key says what that means. The SVG is
 * one image with a text alternative (`label`); pair it with a table of the same numbers.
 */
@Component({
  selector: 'hs-line-chart',
  template: `
    @if (layout(); as l) {
      <svg
        class="lc-svg"
        role="img"
        [attr.aria-label]="label()"
        [attr.width]="l.width"
        [attr.height]="l.height"
        [attr.viewBox]="'0 0 ' + l.width + ' ' + l.height"
      >
        <defs>
          <pattern
            [attr.id]="hatchId"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="#f5f6f8" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#c5cbd4" stroke-width="2" />
          </pattern>
        </defs>
        @for (band of l.bands; track band.category) {
          <rect
            class="lc-muted-band"
            [attr.data-category]="band.category"
            [attr.x]="band.x"
            [attr.y]="l.top"
            [attr.width]="band.width"
            [attr.height]="l.plotHeight"
            [attr.fill]="'url(#' + hatchId + ')'"
          />
        }
        @for (tick of l.yTicks; track tick.value) {
          <line
            class="lc-grid"
            [attr.x1]="l.left"
            [attr.x2]="l.right"
            [attr.y1]="tick.y"
            [attr.y2]="tick.y"
          />
          <text class="lc-tick" [attr.x]="l.left - 6" [attr.y]="tick.y + 4" text-anchor="end">
            {{ format()(tick.value) }}
          </text>
        }
        @if (l.referenceY !== null) {
          <line
            class="lc-ref"
            [attr.x1]="l.left"
            [attr.x2]="l.right"
            [attr.y1]="l.referenceY"
            [attr.y2]="l.referenceY"
          />
        }
        @for (tick of l.xTicks; track tick.category) {
          <text class="lc-tick" [attr.x]="tick.x" [attr.y]="l.bottom + 16" text-anchor="middle">
            {{ tick.category }}
          </text>
        }
        @if (xAxisLabel()) {
          <text
            class="lc-axis-label"
            [attr.x]="(l.left + l.right) / 2"
            [attr.y]="l.height - 6"
            text-anchor="middle"
          >
            {{ xAxisLabel() }}
          </text>
        }
        @if (yAxisLabel()) {
          <text
            class="lc-axis-label"
            text-anchor="middle"
            [attr.transform]="'translate(12 ' + (l.top + l.plotHeight / 2) + ') rotate(-90)'"
          >
            {{ yAxisLabel() }}
          </text>
        }
        @for (line of l.lines; track line.name) {
          <g
            class="lc-line"
            data-testid="chart-line"
            [attr.data-series]="line.name"
            [attr.stroke]="line.color"
          >
            @for (seg of line.segments; track $index) {
              <line
                class="lc-seg"
                [class.lc-seg-muted]="seg.muted"
                [attr.x1]="seg.from.x"
                [attr.y1]="seg.from.y"
                [attr.x2]="seg.to.x"
                [attr.y2]="seg.to.y"
              />
            }
            @for (point of line.points; track point.category) {
              <path
                class="lc-point"
                data-testid="chart-point"
                [class.lc-point-muted]="point.muted"
                [attr.data-category]="point.category"
                [attr.d]="point.d"
                [attr.fill]="point.muted || line.open ? '#fff' : line.color"
              />
            }
          </g>
        }
      </svg>
      <ul class="lc-legend" data-testid="chart-legend">
        @for (line of l.lines; track line.name) {
          <li data-testid="legend-entry">
            <svg width="26" height="14" aria-hidden="true" focusable="false" [attr.stroke]="line.color">
              <line class="lc-seg" x1="1" x2="25" y1="7" y2="7" />
              <path
                class="lc-point"
                [attr.d]="line.keyMarker"
                [attr.fill]="line.open ? '#fff' : line.color"
              />
            </svg>
            {{ line.name }}
          </li>
        }
        @if (l.bands.length > 0 && mutedLabel()) {
          <li class="lc-legend-muted" data-testid="legend-muted">
            <span class="lc-swatch" aria-hidden="true"></span>{{ mutedLabel() }}
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
      width: 100%;
      min-width: 0;
    }
    .lc-svg {
      display: block;
      overflow: visible;
    }
    .lc-grid {
      stroke: var(--border);
    }
    .lc-ref {
      stroke: var(--text-muted);
      stroke-dasharray: 3 3;
    }
    .lc-tick,
    .lc-axis-label {
      font-size: 11px;
      fill: var(--text-muted);
    }
    .lc-axis-label {
      font-size: 12px;
    }
    .lc-seg {
      stroke-width: 2;
    }
    .lc-seg-muted {
      stroke-dasharray: 4 3;
      stroke-opacity: 0.5;
    }
    .lc-point {
      stroke-width: 1.75;
    }
    .lc-point-muted {
      stroke-opacity: 0.6;
    }
    .lc-legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      margin: 0.5rem 0 0;
      padding: 0;
      list-style: none;
      font-size: 0.82rem;
    }
    .lc-legend li {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
    }
    .lc-legend-muted {
      color: var(--text-muted);
    }
    .lc-swatch {
      display: inline-block;
      width: 22px;
      height: 12px;
      border: 1px dashed var(--text-muted);
      background: repeating-linear-gradient(135deg, #c5cbd4 0 2px, #f5f6f8 2px 5px);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LineChartComponent {
  readonly data = input.required<readonly LineSeries[]>();
  /** The categories in order; by default as they first appear in the series. */
  readonly categories = input<readonly string[] | null>(null);
  /** Categories with too little data to trust: hatched band, hollow points, dashed segments. */
  readonly mutedCategories = input<readonly string[]>([]);
  /** What the hatched band means, for the key (e.g. "Insufficient data: fewer than 30 hires"). */
  readonly mutedLabel = input('');
  /** The chart's text alternative: what it shows and where the numbers are. */
  readonly label = input('Line chart; the table below has the numbers');
  readonly format = input<(value: number) => string>((value) => String(value));
  readonly xAxisLabel = input('');
  readonly yAxisLabel = input('');
  readonly yMin = input(-1);
  readonly yMax = input(1);
  readonly height = input(300);
  /** A horizontal line drawn at this value (e.g. r = 0); null for none. */
  readonly reference = input<number | null>(0);

  protected readonly hatchId = `lc-hatch-${++instances}`;
  private readonly width = signal(0);

  protected readonly layout = computed(() => {
    const width = this.width();
    if (width <= 0) return null;
    const data = this.data();
    const categories = this.categories() ?? categoriesOf(data);
    const height = width < 480 ? Math.min(this.height(), 260) : this.height();
    const left = this.yAxisLabel() ? 56 : 44;
    const right = width - MARGIN.right;
    const top = MARGIN.top;
    const bottom = height - MARGIN.bottom;
    const plotHeight = bottom - top;
    const slot = (right - left) / Math.max(categories.length, 1);
    const index = new Map(categories.map((c, i) => [c, i]));
    const xOf = (category: string) => left + ((index.get(category) ?? 0) + 0.5) * slot;
    const [yMin, yMax] = [this.yMin(), this.yMax()];
    const yOf = (value: number) =>
      top + (1 - (Math.max(yMin, Math.min(yMax, value)) - yMin) / (yMax - yMin || 1)) * plotHeight;
    const muted = new Set(this.mutedCategories());
    const longest = Math.max(0, ...categories.map((c) => c.length));
    const every = labelEvery(slot, longest * 6.5 + 10);
    const r = width < 480 ? 3.5 : 4.5;
    const lines = data.map((s, k) => {
      const shape = SHAPES[k % SHAPES.length];
      const points = s.series
        .filter((p) => index.has(p.name))
        .map((p) => ({ category: p.name, x: xOf(p.name), y: yOf(p.value), muted: muted.has(p.name) }))
        .sort((a, b) => a.x - b.x)
        .map((p) => ({ ...p, d: markerPath(shape, p.x, p.y, r) }));
      return {
        name: s.name,
        color: COLORS[k % COLORS.length],
        open: shape === 'cross' || shape === 'plus',
        points,
        segments: segments(points, muted),
        keyMarker: markerPath(shape, 13, 7, 4),
      };
    });
    const ref = this.reference();
    return {
      width,
      height,
      left,
      right,
      top,
      bottom,
      plotHeight,
      lines,
      bands: categories
        .filter((c) => muted.has(c))
        .map((c) => ({ category: c, x: xOf(c) - slot / 2, width: slot })),
      yTicks: valueTicks(yMin, yMax, niceStep(yMax - yMin)).map((value) => ({ value, y: yOf(value) })),
      xTicks: categories
        .map((category, i) => ({ category, x: xOf(category), i }))
        .filter((tick) => tick.i % every === 0),
      referenceY: ref === null || ref < yMin || ref > yMax ? null : yOf(ref),
    };
  });

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.width.set(Math.floor(host.getBoundingClientRect().width) || FALLBACK_WIDTH);
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
