import * as fc from 'fast-check';
import { krippendorffAlpha } from './krippendorff';

/*
 * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of Pennsylvania, Annenberg School
 * for Communication (repository.upenn.edu/asc_papers/43), section C, "Nominal data, any number of observers,
 * missing values": 4 observers code 12 units (. = missing). Reported results: nominal alpha = .743 (section C),
 * ordinal = .815, interval = .849, ratio = .797 (section E).
 * Observers are rows in the paper; this library takes units as rows, so the data are transposed below.
 *   A:     1 2 3 3 2 1 4 1 2 . . .
 *   B:     1 2 3 3 2 2 4 1 2 5 . 3
 *   C:     . 3 3 3 2 3 4 2 2 5 1 .
 *   D:     1 2 3 3 2 4 4 1 2 5 1 .
 * Unit 12 has a single value and is unpairable, leaving 40 pairable values in 11 units.
 */
const OBSERVERS: (number | null)[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const UNITS = OBSERVERS[0].map((_, unit) => OBSERVERS.map((row) => row[unit]));

describe('krippendorffAlpha on Krippendorff (2011) reliability data', () => {
  it('counts the pairable values', () => {
    const result = krippendorffAlpha(UNITS, 'nominal');
    expect(result.pairableValues).toBe(40);
    expect(result.pairableUnits).toBe(11);
  });

  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)('reproduces the published %s alpha = %s', (metric, published) => {
    expect(krippendorffAlpha(UNITS, metric).alpha).toBeCloseTo(published, 3);
  });
});

describe('krippendorffAlpha, hand-worked interval example', () => {
  it('matches the coincidence-matrix arithmetic', () => {
    /*
     * Two coders, three units: (1, 2), (3, 3), (5, 4). Each unit has m_u = 2, so every ordered pair weighs 1.
     *   Σ o_ck δ² = (1-2)² + (2-1)² + 0 + 0 + (5-4)² + (4-5)² = 4; n = 6
     *   Σ n_c n_k δ² over all value pairs = Σ_{i≠j} (x_i - x_j)² = 2n Σ(x - x̄)² = 12 * 10 = 120 (values 1 2 3 3 4 5)
     *   alpha = 1 - (n - 1) 4 / 120 = 1 - 20/120 = 0.833333
     */
    const result = krippendorffAlpha(
      [
        [1, 2],
        [3, 3],
        [5, 4],
      ],
      'interval',
    );
    expect(result.alpha).toBeCloseTo(5 / 6, 12);
    expect(result.observedDisagreement).toBeCloseTo(4 / 6, 12);
    expect(result.expectedDisagreement).toBeCloseTo(4, 12);
  });

  it('is 1 for perfect agreement and null when there is no variation', () => {
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2, null],
          [4, 4, 4],
        ],
        'ordinal',
      ).alpha,
    ).toBe(1);
    expect(
      krippendorffAlpha(
        [
          [3, 3],
          [3, 3],
        ],
        'interval',
      ).alpha,
    ).toBeNull();
    expect(krippendorffAlpha([[1], [2]], 'nominal').alpha).toBeNull();
  });
});

describe('krippendorffAlpha properties', () => {
  const reliabilityData = fc.array(
    fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }), { minLength: 2, maxLength: 4 }),
    { minLength: 2, maxLength: 15 },
  );

  it('alpha never exceeds 1 and interval alpha is unchanged by positive linear transforms', () => {
    fc.assert(
      fc.property(reliabilityData, (data) => {
        const base = krippendorffAlpha(data, 'interval').alpha;
        const transformed = krippendorffAlpha(
          data.map((unit) => unit.map((x) => (x === null ? null : 3 * x + 7))),
          'interval',
        ).alpha;
        if (base === null) return transformed === null;
        return base <= 1 + 1e-12 && transformed !== null && Math.abs(base - transformed) < 1e-9;
      }),
    );
  });

  it('ordinal alpha depends only on the order of the values', () => {
    fc.assert(
      fc.property(reliabilityData, (data) => {
        const base = krippendorffAlpha(data, 'ordinal').alpha;
        const monotone = krippendorffAlpha(
          data.map((unit) => unit.map((x) => (x === null ? null : x ** 3))),
          'ordinal',
        ).alpha;
        if (base === null) return monotone === null;
        return monotone !== null && Math.abs(base - monotone) < 1e-9;
      }),
    );
  });
});

describe('krippendorffAlpha with unit counts', () => {
  it('gives the published alphas when duplicated units are sent once with their count', () => {
    // Krippendorff (2011) section C data: units 3 and 4 are both (3, 3, 3, 3) and units 5 and 9 both (2, 2, 2, 2),
    // so grouping equal value sets leaves 10 rows, two of them with count 2.
    const keyOf = (u: (number | null)[]) => JSON.stringify(u.filter((x) => x !== null).sort());
    const groups = new Map<string, { values: number[]; n: number }>();
    for (const unit of UNITS) {
      const key = keyOf(unit);
      const g = groups.get(key);
      if (g) g.n++;
      else groups.set(key, { values: unit.filter((x): x is number => x !== null), n: 1 });
    }
    const compressed = [...groups.values()];
    expect(compressed.map((g) => g.n).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
    for (const [metric, published] of [
      ['nominal', 0.743],
      ['ordinal', 0.815],
      ['interval', 0.849],
      ['ratio', 0.797],
    ] as const) {
      const result = krippendorffAlpha(
        compressed.map((g) => g.values),
        metric,
        compressed.map((g) => g.n),
      );
      expect(result.alpha).toBeCloseTo(published, 3);
      expect(result.pairableValues).toBe(40);
      expect(result.pairableUnits).toBe(11);
    }
  });

  it('equals the expanded data for any counts', () => {
    const unit = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(unit, fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 12 }),
        (rows) => {
          const expanded = rows.flatMap(([values, n]) => Array.from({ length: n }, () => values));
          for (const metric of ['interval', 'ordinal'] as const) {
            const a = krippendorffAlpha(expanded, metric).alpha;
            const b = krippendorffAlpha(
              rows.map(([values]) => values),
              metric,
              rows.map(([, n]) => n),
            ).alpha;
            if (a === null) expect(b).toBeNull();
            else expect(b).toBeCloseTo(a, 9);
          }
        },
      ),
    );
  });
});
