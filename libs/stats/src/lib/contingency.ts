import { chisquareCdf, normalCdf } from './distributions';

/** R's fisher.test: tables whose probability is within this relative tolerance of the observed one count as ties. */
const FISHER_RELATIVE_TOLERANCE = 1e-7;

function assertCount(x: number, name: string): void {
  if (!Number.isInteger(x) || x < 0)
    throw new RangeError(`${name} must be a non-negative integer (got ${x})`);
}

/**
 * Two-sided Fisher exact test of the 2 x 2 table [[a, b], [c, d]]: with the margins fixed, a is hypergeometric;
 * the p value is the total probability of the tables no more likely than the observed one (R's fisher.test, which
 * treats probabilities within a relative 1e-7 of the observed one as equal). A table with a zero margin has a single
 * possible table, so p = 1.
 */
export function fisherExact2x2(a: number, b: number, c: number, d: number): number {
  assertCount(a, 'a');
  assertCount(b, 'b');
  assertCount(c, 'c');
  assertCount(d, 'd');
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const lo = Math.max(0, col1 - (n - row1));
  const hi = Math.min(row1, col1);
  if (hi === lo) return 1;
  // log P(x) up to a constant, by the recurrence P(x+1)/P(x) = (row1 - x)(col1 - x) / ((x + 1)(n - row1 - col1 + x + 1)).
  const logP = new Array<number>(hi - lo + 1);
  logP[0] = 0;
  for (let x = lo; x < hi; x++) {
    logP[x - lo + 1] =
      logP[x - lo] + Math.log(((row1 - x) * (col1 - x)) / ((x + 1) * (n - row1 - col1 + x + 1)));
  }
  const top = Math.max(...logP);
  const density = logP.map((l) => Math.exp(l - top));
  const total = density.reduce((s, v) => s + v, 0);
  const observed = density[a - lo] * (1 + FISHER_RELATIVE_TOLERANCE);
  const tail = density.reduce((s, v) => (v <= observed ? s + v : s), 0);
  return Math.min(1, tail / total);
}

export interface TwoProportionZ {
  z: number;
  p: number;
}

/**
 * Pooled two-proportion z test of x1/n1 against x2/n2, no continuity correction: z = (p1 - p2) / sqrt(p(1 - p)(1/n1
 * + 1/n2)) with p = (x1 + x2) / (n1 + n2), two-sided normal p. Null when a group is empty or the pooled proportion is
 * 0 or 1 (no variance: the test is undefined).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoProportionZ | null {
  assertCount(x1, 'x1');
  assertCount(n1, 'n1');
  assertCount(x2, 'x2');
  assertCount(n2, 'n2');
  if (x1 > n1 || x2 > n2) throw new RangeError('successes cannot exceed trials');
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return null;
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(variance);
  return { z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

export interface ChiSquareTest {
  statistic: number;
  df: number;
  p: number;
}

/**
 * Pearson chi-square test of independence for an r x c table of counts, no continuity correction:
 * X² = Σ (O - E)² / E with E = row total x column total / n, on (r - 1)(c - 1) df. Rows and columns whose total is
 * zero carry no information and are dropped first (R would return NaN). Null when fewer than two rows or columns
 * remain.
 */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareTest | null {
  if (table.length === 0) return null;
  const columns = table[0].length;
  for (const row of table) {
    if (row.length !== columns) throw new RangeError('Every row must have the same number of columns');
    row.forEach((x) => assertCount(x, 'count'));
  }
  const rowTotals = table.map((row) => row.reduce((s, x) => s + x, 0));
  const colTotals = Array.from({ length: columns }, (_, j) => table.reduce((s, row) => s + row[j], 0));
  const rows = table.map((_, i) => i).filter((i) => rowTotals[i] > 0);
  const cols = colTotals.map((_, j) => j).filter((j) => colTotals[j] > 0);
  if (rows.length < 2 || cols.length < 2) return null;
  const n = rows.reduce((s, i) => s + rowTotals[i], 0);
  let statistic = 0;
  for (const i of rows) {
    for (const j of cols) {
      const expected = (rowTotals[i] * colTotals[j]) / n;
      statistic += (table[i][j] - expected) ** 2 / expected;
    }
  }
  const df = (rows.length - 1) * (cols.length - 1);
  return { statistic, df, p: Math.max(0, Math.min(1, 1 - chisquareCdf(statistic, df))) };
}
