const EMPTY = '–';

export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatPercentInterval(
  low: number | null | undefined,
  high: number | null | undefined,
): string {
  if (low === null || low === undefined || high === null || high === undefined) return EMPTY;
  return `${formatPercent(low)}–${formatPercent(high)}`;
}

/** Days with one decimal below 10, whole days above. */
export function formatDays(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

export function formatRating(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return value.toFixed(2);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
