export type KrippendorffMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface KrippendorffAlphaResult {
  /** null when undefined: fewer than 2 pairable values, or no expected disagreement (every value identical) */
  alpha: number | null;
  /** pairable values: values in units coded by at least 2 coders */
  pairableValues: number;
  /** units coded by at least 2 coders */
  pairableUnits: number;
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
}

/**
 * Krippendorff's alpha by the coincidence-matrix method of Krippendorff (2011, "Computing Krippendorff's
 * Alpha-Reliability", Annenberg School for Communication, sections C and E).
 *
 * Input: one row per unit (candidate-criterion), one column per coder (interviewer), `null` where a coder did not
 * code the unit; rows may also be of different lengths. Units with fewer than 2 values are unpairable and ignored.
 * `counts` (optional) gives each row's multiplicity (row i stands for counts[i] units with the same values), so data
 * compressed to distinct value patterns give exactly the alpha of the expanded data.
 *
 * Method: each unit u with m_u values adds 1/(m_u - 1) to o_ck for every ordered pair of values (c, k) from
 * different coders; n_c = Σ_k o_ck and n = Σ n_c. Then
 *   alpha = 1 - (n - 1) Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck
 * with δ² per metric: nominal 0/1; interval (c - k)²; ratio ((c - k)/(c + k))²; ordinal
 * (Σ_{g between c and k} n_g - (n_c + n_k)/2)², which uses the ranks of the values actually observed.
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | null)[])[],
  metric: KrippendorffMetric,
  counts?: readonly number[],
): KrippendorffAlphaResult {
  const units: number[][] = [];
  const multiplicity: number[] = [];
  data.forEach((row, i) => {
    const values = row.filter((x): x is number => x !== null && Number.isFinite(x));
    const w = counts ? counts[i] : 1;
    if (values.length >= 2 && w > 0) {
      units.push(values);
      multiplicity.push(w);
    }
  });

  const categories = [...new Set(units.flat())].sort((a, b) => a - b);
  const index = new Map(categories.map((c, i) => [c, i]));
  const v = categories.length;
  const o: number[][] = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  for (let u = 0; u < units.length; u++) {
    const values = units[u];
    const weight = multiplicity[u] / (values.length - 1);
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        if (i === j) continue;
        o[index.get(values[i]) as number][index.get(values[j]) as number] += weight;
      }
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  const pairableValues = units.reduce((a, u, i) => a + multiplicity[i] * u.length, 0);

  const delta2 = distanceFunction(metric, categories, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < v; c++) {
    for (let k = 0; k < v; k++) {
      const d = delta2(c, k);
      observed += o[c][k] * d;
      expected += nc[c] * nc[k] * d;
    }
  }

  const base = { pairableValues, pairableUnits: multiplicity.reduce((a, w) => a + w, 0) };
  if (n < 2 || !(expected > 0)) {
    return { ...base, alpha: null, observedDisagreement: null, expectedDisagreement: null };
  }
  const observedDisagreement = observed / n;
  const expectedDisagreement = expected / (n * (n - 1));
  return {
    ...base,
    alpha: 1 - observedDisagreement / expectedDisagreement,
    observedDisagreement,
    expectedDisagreement,
  };
}

function distanceFunction(
  metric: KrippendorffMetric,
  categories: readonly number[],
  nc: readonly number[],
): (c: number, k: number) => number {
  switch (metric) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'interval':
      return (c, k) => (categories[c] - categories[k]) ** 2;
    case 'ratio':
      return (c, k) => {
        const sum = categories[c] + categories[k];
        return sum === 0 ? 0 : ((categories[c] - categories[k]) / sum) ** 2;
      };
    case 'ordinal': {
      const cumulative = [0];
      for (const count of nc) cumulative.push(cumulative[cumulative.length - 1] + count);
      return (c, k) => {
        const low = Math.min(c, k);
        const high = Math.max(c, k);
        const between = cumulative[high + 1] - cumulative[low];
        return (between - (nc[c] + nc[k]) / 2) ** 2;
      };
    }
  }
}
