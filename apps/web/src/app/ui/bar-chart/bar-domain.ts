/**
 * The value axis of a horizontal bar chart: at least [xMin, xMax], widened to whole tick steps around the data.
 * ngx-charts draws a negative bar's data label to the left of the bar, inside the plot, and the y-axis labels sit
 * just left of the plot: a bar that reaches the axis start pushes its label onto (and clips) the criterion name.
 * So a negative value gets half a tick step of room for its label before the bound is rounded out.
 */
export function barDomain(
  values: readonly number[],
  xMin: number,
  xMax: number,
  step: number,
): [number, number] {
  const labelRoom = step / 2;
  const low = Math.min(0, xMin, ...values.map((v) => (v < 0 ? v - labelRoom : v)));
  const high = Math.max(0, xMax, ...values);
  // A zero bound reaches ngx-charts as "unset", which it also resolves to zero.
  return [Math.floor(low / step + 1e-9) * step, Math.ceil(high / step - 1e-9) * step];
}
