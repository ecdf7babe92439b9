/**
 * Keyboard use of a chart drawn as a list of rows (bar chart, forest plot): the list is one tab stop (the row last
 * focused, else the first), and Up and Down move between rows, Home and End to the first and last. Each row carries
 * its numbers as its accessible name, so a screen reader reads the chart row by row.
 */

/** The key's target row index from the current one, or null for a key that does not move. */
export function nextRow(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  const target =
    key === 'ArrowDown'
      ? index + 1
      : key === 'ArrowUp'
        ? index - 1
        : key === 'Home'
          ? 0
          : key === 'End'
            ? count - 1
            : null;
  return target === null || target < 0 || target >= count ? null : target;
}

/** Moves focus to the row the key names, among the `li` children of the focused row's list. */
export function moveRowFocus(event: KeyboardEvent): void {
  const current = (event.target as HTMLElement).closest('li');
  const list = current?.parentElement;
  if (!current || !list) return;
  const items = Array.from(list.querySelectorAll<HTMLElement>(':scope > li'));
  const target = nextRow(event.key, items.indexOf(current), items.length);
  if (target !== null) {
    event.preventDefault();
    items[target].focus();
  }
}

/** The row that takes Tab: the one last focused while it still exists, else the first. */
export function tabStop(lastFocused: number, count: number): number {
  return lastFocused >= 0 && lastFocused < count ? lastFocused : 0;
}
