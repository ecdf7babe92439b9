/**
 * The value axis of a horizontal bar chart: at least [xMin, xMax] and zero, widened to whole tick steps around the
 * data. The values are written in a column of their own, so a bar never needs room for its label inside the plot.
 */
export function barDomain(
  values: readonly number[],
  xMin: number,
  xMax: number,
  step: number,
): [number, number] {
  const low = Math.min(0, xMin, ...values);
  const high = Math.max(0, xMax, ...values);
  const lo = Math.floor(low / step + 1e-9) * step;
  const hi = Math.ceil(high / step - 1e-9) * step;
  return [round(lo), round(hi > lo ? hi : lo + step)];
}

/** The ticks of a domain in whole steps, both ends included. */
export function barTicks(domain: [number, number], step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.round(domain[0] / step); i <= Math.round(domain[1] / step); i++)
    ticks.push(round(i * step));
  return ticks;
}

/** A bar from zero to the value, as the left edge and width in % of the axis. */
export function barSpan(value: number, domain: [number, number]): { left: number; width: number } {
  const [min, max] = domain;
  const at = (v: number) => ((Math.max(min, Math.min(max, v)) - min) / (max - min)) * 100;
  const zero = at(0);
  const end = at(value);
  return { left: round(Math.min(zero, end)), width: round(Math.abs(end - zero)) };
}

function round(value: number): number {
  return Number(value.toFixed(6));
}
