/** A point estimate with its 95% interval; nulls where it cannot be computed. */
export interface ForestPoint {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface ForestRow {
  id: string;
  label: string;
  /** Small text after the label, e.g. "n = 42". */
  note?: string;
  primary: ForestPoint;
  /** A second estimate drawn below the first (e.g. corrected beside observed). */
  secondary?: ForestPoint | null;
  /** Drawn in grey with a dashed interval (e.g. insufficient data). */
  muted?: boolean;
  /** Drawn after a separator in bold (e.g. the composite). */
  emphasis?: boolean;
  /** The numbers as text, right of the plot. */
  valueText: string;
  /** What a screen reader announces when the row has focus. */
  ariaLabel: string;
}

/**
 * The smallest domain in whole steps that holds every value and the reference, inside [bounds]:
 * values .12 to .48 with step .2 and bounds [-1, 1] give [0, .6].
 */
export function niceDomain(
  values: readonly (number | null | undefined)[],
  step: number,
  bounds: [number, number],
  include: readonly number[] = [0],
): [number, number] {
  const finite = [...values, ...include].filter(
    (value): value is number => typeof value === 'number' && Number.isFinite(value),
  );
  if (finite.length === 0) {
    return bounds;
  }
  const low = Math.floor(Math.min(...finite) / step + 1e-9) * step;
  const high = Math.ceil(Math.max(...finite) / step - 1e-9) * step;
  const lo = Math.max(bounds[0], round(low));
  const hi = Math.min(bounds[1], round(high));
  return hi > lo ? [lo, hi] : bounds;
}

export function ticksFor(domain: [number, number], step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.ceil(domain[0] / step - 1e-9); i <= Math.floor(domain[1] / step + 1e-9); i++) {
    ticks.push(round(i * step));
  }
  return ticks;
}

/** Position of a value on the axis as a percentage of its width, clamped to the plot. */
export function toPercent(value: number, domain: [number, number]): number {
  const [min, max] = domain;
  const share = max === min ? 0.5 : (value - min) / (max - min);
  return round(Math.max(0, Math.min(1, share)) * 100);
}

/** Every value a set of forest rows draws, for niceDomain. */
export function forestValues(rows: readonly ForestRow[]): (number | null)[] {
  return rows.flatMap((row) => [
    row.primary.value,
    row.primary.ciLow,
    row.primary.ciHigh,
    row.secondary?.value ?? null,
    row.secondary?.ciLow ?? null,
    row.secondary?.ciHigh ?? null,
  ]);
}

function round(value: number): number {
  return Number(value.toFixed(6));
}

const STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 5];

/** A tick step with at most six ticks, preferring one that lands on both ends of the axis. */
export function tickStepFor(domain: [number, number]): number {
  const span = domain[1] - domain[0];
  const few = STEPS.filter((step) => span / step <= 5 + 1e-9);
  const onEnds = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-6;
  return few.find((step) => onEnds(domain[0], step) && onEnds(domain[1], step)) ?? few[0] ?? span / 5;
}
