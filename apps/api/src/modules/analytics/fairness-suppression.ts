/*
 * Small-cell suppression of the fairness tables (PRODUCT.md "Fairness definitions", "Small cells"), pure.
 *
 * Primary rule: a shown cell with fewer than k people (1 .. k-1; an empty cell reveals no one and stays 0) is
 * suppressed ('small'): no count, rate or ratio.
 * Complementary rule: a suppressed cell must not be recoverable by arithmetic on what is shown. The tables are
 * linked by sums (a table's cells and its unknown count add up to its shown total; the intersectional cells of one
 * sex add up, with the people of that sex whose race is unknown, to that sex's cell of the sex table; likewise for
 * race). A suppressed cell is recoverable when the shown numbers determine it, i.e. its unit vector lies in the row
 * space of the sums restricted to the cells not shown. While one is, the smallest shown cell that shares a sum with
 * it is suppressed too ('complement'), the unknown count included. With a single table this is the familiar rule:
 * if exactly one cell of a table with a shown total is suppressed, the next-smallest is suppressed as well.
 */

export type SuppressionReason = 'small' | 'complement';

export interface SuppressionCell {
  id: string;
  count: number;
  /** Never shown (a count that only links tables, e.g. women whose race is unknown): an unknown, never protected. */
  hidden?: boolean;
  /**
   * Suppressed by the primary rule whatever its count: a part of it that the row would show (e.g. its selected, or
   * its not selected) has 1 to k - 1 people.
   */
  small?: boolean;
}

/** sum(parts) = total; total null is a grand total that is always shown. */
export interface SumConstraint {
  total: string | null;
  parts: string[];
}

const EPSILON = 1e-9;

/** Rank of a small dense matrix by Gaussian elimination with partial pivoting (entries are small integers). */
function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  const columns = m[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < columns && r < m.length; c++) {
    let pivot = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i][c]) > Math.abs(m[pivot][c])) pivot = i;
    if (Math.abs(m[pivot][c]) < EPSILON) continue;
    [m[r], m[pivot]] = [m[pivot], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const factor = m[i][c] / m[r][c];
      if (factor !== 0) for (let j = c; j < columns; j++) m[i][j] -= factor * m[r][j];
    }
    r++;
  }
  return r;
}

/**
 * The arithmetic an onlooker can do with the shown numbers: the sums as rows of coefficients, which cells are
 * unknown (suppressed, or latent and not forced to 0), and whether a cell is determined.
 */
function linearSystem(
  cells: readonly SuppressionCell[],
  constraints: readonly SumConstraint[],
  reasons: ReadonlyMap<string, SuppressionReason | null>,
) {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const isSuppressed = (id: string) => (reasons.get(id) ?? null) !== null;
  // Counts are never negative, so the parts of a shown total of 0 are all known to be 0, latent ones included.
  const zeroForced = (id: string) =>
    constraints.some(
      (c) =>
        c.total !== null &&
        c.parts.includes(id) &&
        !isSuppressed(c.total) &&
        byId.get(c.total)?.hidden !== true &&
        byId.get(c.total)?.count === 0,
    );
  const unknown = (id: string) => (byId.get(id)?.hidden === true ? !zeroForced(id) : isSuppressed(id));
  const rows = constraints.map((constraint) => {
    const row = new Map<string, number>();
    for (const part of constraint.parts) row.set(part, (row.get(part) ?? 0) + 1);
    if (constraint.total !== null) row.set(constraint.total, (row.get(constraint.total) ?? 0) - 1);
    return row;
  });
  /** Whether `target` is determined by the shown numbers when the cell `extra` is hidden as well. */
  const determined = (target: string, extra: string | null): boolean => {
    const vars = cells.filter((c) => unknown(c.id) || c.id === extra).map((c) => c.id);
    const matrix = rows
      .map((row) => vars.map((v) => row.get(v) ?? 0))
      .filter((row) => row.some((x) => x !== 0));
    if (matrix.length === 0) return false;
    const unit = vars.map((w) => (w === target ? 1 : 0));
    return rank([...matrix, unit]) === rank(matrix);
  };
  return { rows, unknown, determined };
}

/** The suppressed cells that the shown numbers still determine (none, after suppressCells). */
export function recoverableCells(
  cells: readonly SuppressionCell[],
  constraints: readonly SumConstraint[],
  reasons: ReadonlyMap<string, SuppressionReason | null>,
): string[] {
  const { determined } = linearSystem(cells, constraints, reasons);
  return cells
    .filter((c) => !c.hidden && (reasons.get(c.id) ?? null) !== null && determined(c.id, null))
    .map((c) => c.id);
}

/**
 * Which cells of linked tables are suppressed, and why (null: shown). Deterministic: ties between equally small
 * candidates go to the id that sorts first.
 */
export function suppressCells(
  cells: readonly SuppressionCell[],
  constraints: readonly SumConstraint[],
  k: number,
): Map<string, SuppressionReason | null> {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const result = new Map<string, SuppressionReason | null>();
  for (const cell of cells) {
    if (cell.hidden) continue;
    result.set(cell.id, (cell.count > 0 && cell.count < k) || cell.small ? 'small' : null);
  }
  const { rows, unknown, determined } = linearSystem(cells, constraints, result);
  const bySize = (a: SuppressionCell, b: SuppressionCell) => a.count - b.count || (a.id < b.id ? -1 : 1);

  const candidatesOf = (exposed: string): SuppressionCell[] => {
    const candidates = new Map<string, SuppressionCell>();
    for (const row of rows) {
      if (!row.get(exposed)) continue;
      for (const id of row.keys()) {
        const cell = byId.get(id);
        if (cell && !cell.hidden && !unknown(id)) candidates.set(id, cell);
      }
    }
    return [...candidates.values()].sort(bySize);
  };

  for (let guard = 0; guard <= cells.length; guard++) {
    // Each suppressed cell the shown numbers still determine, smallest first, with the shown cells sharing a sum
    // with it (a shown 0 qualifies: hiding it reveals less than hiding anyone's count, and it breaks the arithmetic
    // all the same). A cell may be determined only through another one, with no shown cell of its own sums left:
    // then the next is worked on.
    let choice: SuppressionCell | null = null;
    for (const exposed of cells.filter((c) => !c.hidden && unknown(c.id)).sort(bySize)) {
      if (!determined(exposed.id, null)) continue;
      const ordered = candidatesOf(exposed.id);
      if (ordered.length === 0) continue;
      // The first whose hiding leaves the exposed cell undetermined; failing that, the smallest (and go on).
      choice = ordered.find((c) => !determined(exposed.id, c.id)) ?? ordered[0];
      break;
    }
    if (choice === null) break;
    result.set(choice.id, 'complement');
  }
  return result;
}

/** One cell of the sex x race/ethnicity cross-tabulation at a decision; null = unknown (no row, missing, declined). */
export interface CrossTabCell {
  sex: string | null;
  race: string | null;
  count: number;
  /**
   * Of `count`, how many a table would show as a second count (selected at a decision; above the median): a shown
   * group whose selected or not selected number 1 to k - 1 is suppressed as well (every aggregate cell shown has at
   * least k people or none). Unknown counts show no such part.
   */
  selected?: number;
}

export interface GroupingSuppression {
  /** Per shown group of the grouping (e.g. 'female', 'asian', 'female|asian'): why it is suppressed, or null. */
  groups: Map<string, SuppressionReason | null>;
  /** The grouping's unknown count. */
  unknown: SuppressionReason | null;
}

export interface FairnessSuppression {
  sex: GroupingSuppression;
  race_ethnicity: GroupingSuppression;
  intersectional: GroupingSuppression;
}

export const intersectionalKey = (sex: string, race: string): string => `${sex}|${race}`;

/**
 * Suppression of the three groupings of one decision together, so that combining the sex, race/ethnicity and
 * intersectional tables (each a separate request) cannot recover a suppressed cell either. The shown total is the
 * decision's applicants; the unknown counts are shown cells too.
 */
export function suppressFairnessTables(crossTab: readonly CrossTabCell[], k: number): FairnessSuppression {
  const { cells, constraints, sexList, raceList, cross } = fairnessLayout(crossTab);
  // The second count of every shown group (selected), summed over its cross-tab cells.
  const selectedOf = new Map<string, number>();
  const addSelected = (id: string, n: number) => selectedOf.set(id, (selectedOf.get(id) ?? 0) + n);
  for (const c of crossTab) {
    if (c.selected === undefined) continue;
    if (c.sex !== null) addSelected(`sex:${c.sex}`, c.selected);
    if (c.race !== null) addSelected(`race:${c.race}`, c.selected);
    if (c.sex !== null && c.race !== null) addSelected(`x:${intersectionalKey(c.sex, c.race)}`, c.selected);
  }
  const small = (n: number) => n > 0 && n < k;
  const marked = cells.map((cell) => {
    const selected = selectedOf.get(cell.id);
    if (cell.hidden || selected === undefined) return cell;
    return small(selected) || small(cell.count - selected) ? { ...cell, small: true } : cell;
  });
  const reasons = suppressCells(marked, constraints, k);
  const grouping = (prefix: string, keys: string[]): GroupingSuppression => ({
    groups: new Map(keys.map((key) => [key, reasons.get(`${prefix}:${key}`) ?? null])),
    unknown: reasons.get(`${prefix}:?`) ?? null,
  });
  return {
    sex: grouping('sex', sexList),
    race_ethnicity: grouping('race', raceList),
    intersectional: grouping(
      'x',
      cross.map((id) => id.slice(2)),
    ),
  };
}

/**
 * The cells and sums of one decision's three groupings: shown cells 'sex:<s>', 'sex:?', 'race:<r>', 'race:?',
 * 'x:<s>|<r>', 'x:?'; latent (never shown) 'h:<s>|?', 'h:?|<r>', 'h:?|?' (people unknown on one or both).
 */
export function fairnessLayout(crossTab: readonly CrossTabCell[]): {
  cells: SuppressionCell[];
  constraints: SumConstraint[];
  sexList: string[];
  raceList: string[];
  cross: string[];
} {
  const count = new Map<string, number>();
  const add = (id: string, n: number) => count.set(id, (count.get(id) ?? 0) + n);
  const sexes = new Set<string>();
  const races = new Set<string>();
  for (const c of crossTab) {
    if (c.sex !== null) sexes.add(c.sex);
    if (c.race !== null) races.add(c.race);
    add(c.sex === null ? 'sex:?' : `sex:${c.sex}`, c.count);
    add(c.race === null ? 'race:?' : `race:${c.race}`, c.count);
    if (c.sex !== null && c.race !== null) add(`x:${intersectionalKey(c.sex, c.race)}`, c.count);
    else add('x:?', c.count);
    // The latent pieces of the intersectional unknown, by which margin they belong to.
    add(`h:${c.sex ?? '?'}|${c.race ?? '?'}`, c.sex === null || c.race === null ? c.count : 0);
  }
  const sexList = [...sexes].sort();
  const raceList = [...races].sort();
  const shown = (id: string): SuppressionCell => ({ id, count: count.get(id) ?? 0 });
  const hidden = (id: string): SuppressionCell => ({ id, count: count.get(id) ?? 0, hidden: true });
  const cross = sexList
    .flatMap((s) => raceList.map((r) => `x:${intersectionalKey(s, r)}`))
    .filter((id) => count.has(id));
  const cells: SuppressionCell[] = [
    ...sexList.map((s) => shown(`sex:${s}`)),
    shown('sex:?'),
    ...raceList.map((r) => shown(`race:${r}`)),
    shown('race:?'),
    ...cross.map(shown),
    shown('x:?'),
    ...sexList.map((s) => hidden(`h:${s}|?`)),
    ...raceList.map((r) => hidden(`h:?|${r}`)),
    hidden('h:?|?'),
  ];
  const inCross = (prefix: (id: string) => boolean) => cross.filter(prefix);
  const constraints: SumConstraint[] = [
    { total: null, parts: [...sexList.map((s) => `sex:${s}`), 'sex:?'] },
    { total: null, parts: [...raceList.map((r) => `race:${r}`), 'race:?'] },
    { total: null, parts: [...cross, 'x:?'] },
    ...sexList.map((s) => ({
      total: `sex:${s}`,
      parts: [...inCross((id) => id.startsWith(`x:${s}|`)), `h:${s}|?`],
    })),
    ...raceList.map((r) => ({
      total: `race:${r}`,
      parts: [...inCross((id) => id.endsWith(`|${r}`)), `h:?|${r}`],
    })),
    { total: 'sex:?', parts: [...raceList.map((r) => `h:?|${r}`), 'h:?|?'] },
    { total: 'race:?', parts: [...sexList.map((s) => `h:${s}|?`), 'h:?|?'] },
    {
      total: 'x:?',
      parts: [...sexList.map((s) => `h:${s}|?`), ...raceList.map((r) => `h:?|${r}`), 'h:?|?'],
    },
  ];
  return { cells, constraints, sexList, raceList, cross };
}
