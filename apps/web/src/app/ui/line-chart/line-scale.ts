/** A line chart's series: one line over categories (e.g. hire quarters), points named by their category. */
export interface LineSeries {
  name: string;
  series: readonly { name: string; value: number }[];
}

/** A tick step of 1, 2, 2.5 or 5 times a power of ten giving at most `maxTicks` intervals over the span. */
export function niceStep(span: number, maxTicks = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / maxTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12) ?? 10 * power;
  return Number(step.toPrecision(6));
}

/** Ticks in whole steps inside [min, max]. */
export function valueTicks(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i <= Math.floor(max / step + 1e-9); i++) {
    ticks.push(Number((i * step).toFixed(6)));
  }
  return ticks;
}

/** The categories of the series in order of first appearance (each series lists its points in order). */
export function categoriesOf(series: readonly LineSeries[]): string[] {
  const seen = new Set<string>();
  for (const s of series) for (const point of s.series) seen.add(point.name);
  return [...seen];
}

/**
 * Every how many categories to write a label so that none overlaps the next: labels of `labelWidth` pixels at
 * `slot` pixels apart.
 */
export function labelEvery(slot: number, labelWidth: number): number {
  return slot >= labelWidth ? 1 : Math.ceil(labelWidth / Math.max(slot, 1));
}

/**
 * The segments of one line between consecutive points, each muted when either end lies in a muted category (too little
 * data there): drawn dashed and faint, so a line is never drawn solid through a point that cannot be trusted.
 */
export function segments<P extends { category: string }>(
  points: readonly P[],
  muted: ReadonlySet<string>,
): { from: P; to: P; muted: boolean }[] {
  const out: { from: P; to: P; muted: boolean }[] = [];
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1];
    const to = points[i];
    out.push({ from, to, muted: muted.has(from.category) || muted.has(to.category) });
  }
  return out;
}
