import { crossValidatedR, olsRegression } from '@hiresignal/stats';
import { invert, momentCrossValidatedR, momentOls } from './moment-regression';

function sample(n: number, seed: number) {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = rand();
    const row = [0, 1, 2, 3].map(() => Math.round(1 + 3 * (0.5 * g + 0.5 * rand())));
    rows.push(row);
    y.push(0.6 * row[0] + 0.3 * row[1] - 0.1 * row[3] + 2 * rand());
  }
  return { rows, y };
}

describe('momentOls', () => {
  it('matches libs/stats olsRegression', () => {
    const { rows, y } = sample(400, 7);
    const ref = olsRegression(rows, y);
    const got = momentOls(rows, y);
    if (!ref || !got) throw new Error('no model');
    expect(got.r2).toBeCloseTo(ref.r2, 10);
    expect(got.adjustedR2).toBeCloseTo(ref.adjustedR2, 10);
    expect(got.f).toBeCloseTo(ref.f, 8);
    expect(got.fPValue).toBeCloseTo(ref.fPValue, 10);
    got.predictors.forEach((p, j) => {
      const q = ref.predictors[j];
      expect(p.beta).toBeCloseTo(q.beta.estimate, 10);
      expect(p.betaCiLow).toBeCloseTo(q.beta.ciLow, 10);
      expect(p.betaCiHigh).toBeCloseTo(q.beta.ciHigh, 10);
      expect(p.deltaR2).toBeCloseTo(q.deltaR2, 10);
      expect(p.deltaR2F).toBeCloseTo(q.deltaR2F, 7);
      expect(p.deltaR2P).toBeCloseTo(q.deltaR2P, 10);
      expect(p.relativeWeight).toBeCloseTo(q.relativeWeight, 10);
      expect(p.relativeWeightShare).toBeCloseTo(q.relativeWeightShare, 10);
    });
  });

  it('recommends no weight for a criterion with a negative beta, and 100% among the others', () => {
    // The sample's outcome falls with the fourth score (-0.1 x row[3]) given the others: its beta is negative.
    const { rows, y } = sample(400, 7);
    const got = momentOls(rows, y);
    if (!got) throw new Error('no model');
    const negative = got.predictors.filter((p) => p.beta < 0);
    expect(negative.map((p) => p.index)).toEqual([3]);
    expect(negative[0].relativeWeightShare).toBeGreaterThan(0);
    expect(negative[0].recommended).toBe(false);
    expect(negative[0].recommendedWeight).toBe(0);
    // The kept criteria are those of a model in which every beta is positive, and share 100% as its relative weights.
    const kept = got.predictors.filter((p) => p.recommended);
    expect(kept.length).toBeGreaterThan(0);
    const refit = momentOls(
      rows.map((row) => kept.map((p) => row[p.index])),
      y,
    );
    if (!refit) throw new Error('no model');
    refit.predictors.forEach((p, j) => {
      expect(p.beta).toBeGreaterThan(0);
      expect(kept[j].recommendedWeight).toBeCloseTo(p.relativeWeightShare, 10);
    });
    expect(kept.reduce((a, p) => a + p.recommendedWeight, 0)).toBeCloseTo(1, 12);
  });

  it('matches libs/stats crossValidatedR fold for fold', () => {
    const { rows, y } = sample(300, 11);
    expect(momentCrossValidatedR(rows, y, 5, 3)).toBeCloseTo(
      crossValidatedR(rows, y, { folds: 5, seed: 3 })?.r as number,
      10,
    );
  });

  it('refuses collinear or constant predictors', () => {
    const rows = [
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
      [5, 10],
    ];
    expect(momentOls(rows, [1, 3, 2, 5, 4])).toBeNull();
    expect(
      invert([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
  });
});
