import {
  fairnessLayout,
  recoverableCells,
  suppressCells,
  suppressFairnessTables,
  type CrossTabCell,
} from './fairness-suppression';

describe('suppressCells', () => {
  it('suppresses cells with 1 to k-1 people and shows 0 and k', () => {
    const result = suppressCells(
      [
        { id: 'a', count: 0 },
        { id: 'b', count: 4 },
        { id: 'c', count: 5 },
        { id: 'd', count: 1 },
      ],
      [],
      5,
    );
    expect(Object.fromEntries(result)).toEqual({ a: null, b: 'small', c: null, d: 'small' });
  });

  it('suppresses the next-smallest cell when a single suppressed cell could be recovered from the total', () => {
    /*
     * Total 100 shown = a 60 + b 30 + c 7 + d 3 (d is under k = 5). With only d hidden, d = 100 - 60 - 30 - 7 = 3:
     * recovered by subtraction. So the next-smallest shown cell, c (7), is suppressed too: then c + d = 10 is all one
     * can learn.
     */
    const result = suppressCells(
      [
        { id: 'a', count: 60 },
        { id: 'b', count: 30 },
        { id: 'c', count: 7 },
        { id: 'd', count: 3 },
      ],
      [{ total: null, parts: ['a', 'b', 'c', 'd'] }],
      5,
    );
    expect(Object.fromEntries(result)).toEqual({ a: null, b: null, c: 'complement', d: 'small' });
  });

  it('leaves two primary suppressions alone (neither can be recovered)', () => {
    const result = suppressCells(
      [
        { id: 'a', count: 60 },
        { id: 'b', count: 2 },
        { id: 'c', count: 3 },
      ],
      [{ total: null, parts: ['a', 'b', 'c'] }],
      5,
    );
    expect(Object.fromEntries(result)).toEqual({ a: null, b: 'small', c: 'small' });
  });

  it('may pick the unknown count as the complementary cell', () => {
    // total = female 40 + male 50 + another 2 + unknown 6: 'another' (2) is small; unknown (6) is the next-smallest.
    const result = suppressCells(
      [
        { id: 'female', count: 40 },
        { id: 'male', count: 50 },
        { id: 'another', count: 2 },
        { id: 'unknown', count: 6 },
      ],
      [{ total: null, parts: ['female', 'male', 'another', 'unknown'] }],
      5,
    );
    expect(result.get('unknown')).toBe('complement');
    expect(result.get('another')).toBe('small');
  });

  it('repeats until nothing is recoverable across linked sums', () => {
    /*
     * Row total T = x + y; and y = y1 + y2 (y's parts shown in a second table). y1 (3) is small; then y1 = y - y2:
     * y2 (8) is suppressed; now y is the only link showing y1 + y2, and y = T - x... y1 + y2 = y is still known,
     * but y1 alone is not (two unknowns, one equation): stop.
     */
    const result = suppressCells(
      [
        { id: 'x', count: 50 },
        { id: 'y', count: 11 },
        { id: 'y1', count: 3 },
        { id: 'y2', count: 8 },
      ],
      [
        { total: null, parts: ['x', 'y'] },
        { total: 'y', parts: ['y1', 'y2'] },
      ],
      5,
    );
    expect(Object.fromEntries(result)).toEqual({ x: null, y: null, y1: 'small', y2: 'complement' });
  });

  it('prefers the smallest cell whose suppression actually protects', () => {
    /*
     * T = x 50 + y 6 (T always shown) and y = y1 3 + y2 9. y1 is small and recoverable as y - y2. Hiding y (6, the
     * smallest candidate) would not help: y = T - x recovers y, then y1 = y - y2. Hiding y2 (9) does: y1 + y2 = 6 is
     * all one learns. So y2 is suppressed, and y and x stay shown.
     */
    const result = suppressCells(
      [
        { id: 'x', count: 50 },
        { id: 'y', count: 6 },
        { id: 'y1', count: 3 },
        { id: 'y2', count: 9 },
      ],
      [
        { total: null, parts: ['x', 'y'] },
        { total: 'y', parts: ['y1', 'y2'] },
      ],
      5,
    );
    expect(Object.fromEntries(result)).toEqual({ x: null, y: null, y1: 'small', y2: 'complement' });
  });
});

describe('suppressFairnessTables', () => {
  it('protects a small intersectional cell against the sex margin and the table total', () => {
    /*
     * 100 applicants, everyone with known sex and race (every unknown count is a shown 0):
     *   female|asian 3, female|white 40, male|asian 20, male|white 37.
     * female|asian (3) is small. The intersectional table shows its total 100 and unknown 0, so
     * female|asian = 100 - 0 - 40 - 20 - 37 = 3 would be recovered; the sex table's female 43 minus female|white 40
     * gives it too (the women of unknown race are 0, as the shown unknown counts of 0 force). So at least one more
     * cell must be hidden.
     */
    const result = suppressFairnessTables(
      [
        { sex: 'female', race: 'asian', count: 3 },
        { sex: 'female', race: 'white', count: 40 },
        { sex: 'male', race: 'asian', count: 20 },
        { sex: 'male', race: 'white', count: 37 },
      ],
      5,
    );
    expect(result.intersectional.groups.get('female|asian')).toBe('small');
    const hiddenCount = [
      ...result.sex.groups.values(),
      ...result.race_ethnicity.groups.values(),
      ...result.intersectional.groups.values(),
      result.sex.unknown,
      result.race_ethnicity.unknown,
      result.intersectional.unknown,
    ].filter((r) => r !== null).length;
    expect(hiddenCount).toBeGreaterThan(1);
    // The sex and race tables themselves have no small cell.
    expect(result.sex.groups.get('male')).toBeNull();
  });

  it('uses that a shown unknown count of 0 makes its latent parts 0', () => {
    /*
     * female|asian 3 (small), female|white 40, male|white 57; every unknown count is 0. Hide the intersectional
     * cells' complement and the sex margin still gives female|asian = female 43 - female|white 40 - women of unknown
     * race (0: a part of race unknown = 0). So either female or female|white must be hidden as well as some cell of
     * the intersectional table: female|asian must not be determined in the end.
     */
    const result = suppressFairnessTables(
      [
        { sex: 'female', race: 'asian', count: 3 },
        { sex: 'female', race: 'white', count: 40 },
        { sex: 'male', race: 'white', count: 57 },
      ],
      5,
    );
    const shown = (reason: string | null | undefined) => reason === null;
    const female = result.sex.groups.get('female');
    const femaleWhite = result.intersectional.groups.get('female|white');
    expect(shown(female) && shown(femaleWhite)).toBe(false);
  });

  it('suppresses nothing when every cell has at least k people', () => {
    const result = suppressFairnessTables(
      [
        { sex: 'female', race: 'asian', count: 10 },
        { sex: 'female', race: 'white', count: 40 },
        { sex: 'male', race: 'asian', count: 20 },
        { sex: 'male', race: 'white', count: 37 },
        { sex: null, race: 'white', count: 12 },
        { sex: null, race: null, count: 9 },
      ],
      5,
    );
    for (const grouping of [result.sex, result.race_ethnicity, result.intersectional]) {
      expect([...grouping.groups.values()].every((r) => r === null)).toBe(true);
      expect(grouping.unknown).toBeNull();
    }
  });

  it('a small sex cell with the unknown count shown: the complement is the next-smallest of the sex table', () => {
    // female 30, male 50, another 2 (small), sex unknown 20 (race known for all): another = 102 - 30 - 50 - 20.
    const result = suppressFairnessTables(
      [
        { sex: 'female', race: 'white', count: 30 },
        { sex: 'male', race: 'white', count: 50 },
        { sex: 'another', race: 'white', count: 2 },
        { sex: null, race: 'white', count: 20 },
      ],
      5,
    );
    expect(result.sex.groups.get('another')).toBe('small');
    expect(result.sex.unknown === 'complement' || result.sex.groups.get('female') === 'complement').toBe(
      true,
    );
    expect(result.intersectional.groups.get('another|white')).toBe('small');
  });
});

describe('suppression leaves nothing recoverable (random tables)', () => {
  /** mulberry32: a fixed-seed generator, so the cases are the same on every run. */
  function generator(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const sexes = ['female', 'male', 'another', null];
  const races = ['white', 'asian', 'black_or_african_american', 'hispanic_or_latino', null];

  it('recoverableCells sees a cell recovered by subtraction (primary suppression alone)', () => {
    const cells = [
      { id: 'a', count: 60 },
      { id: 'b', count: 3 },
    ];
    const constraints = [{ total: null, parts: ['a', 'b'] }];
    expect(recoverableCells(cells, constraints, new Map([['b', 'small' as const]]))).toEqual(['b']);
  });

  it.each([3, 5, 10])('k = %i: every small cell is hidden and no hidden cell is determined', (k) => {
    const random = generator(1000 + k);
    for (let trial = 0; trial < 60; trial++) {
      const crossTab: CrossTabCell[] = [];
      for (const sex of sexes) {
        for (const race of races) {
          // Mostly small counts, some zeros, a few large ones.
          const u = random();
          const count = u < 0.2 ? 0 : u < 0.7 ? Math.floor(random() * 8) : Math.floor(random() * 60);
          if (count > 0) crossTab.push({ sex, race, count });
        }
      }
      const { cells, constraints } = fairnessLayout(crossTab);
      const reasons = suppressCells(cells, constraints, k);
      for (const cell of cells) {
        if (!cell.hidden && cell.count > 0 && cell.count < k) expect(reasons.get(cell.id)).toBe('small');
      }
      expect(recoverableCells(cells, constraints, reasons)).toEqual([]);
    }
  });
});
