import { decisionCells, differentialValidity, groupLabel, rateTables } from './fairness-report';

describe('decisionCells', () => {
  /*
   * Stages a(1), b(2); 'applied' is 0. Rows (furthest, status, n), all female|white:
   *   (0, rejected, 2)  exited at applied
   *   (0, active, 1)    in progress at applied: in no decision (not at hire either: it is active)
   *   (1, withdrawn, 3) advanced from applied, exited at a
   *   (1, active, 4)    advanced from applied, in progress at a (left out there)
   *   (2, hired, 5)     a hire: furthest = the last stage; advanced from applied and a; at b neither advanced nor exited
   *   (2, rejected, 6)  advanced from applied and a, exited at b
   * applied: applicants 2 + 3 + 4 + 5 + 6 = 20, selected 18
   * a:       applicants 3 + 5 + 6 = 14 (the 4 in progress left out), selected 11
   * b:       applicants 6 (the hires are not concluded at b: nobody advances past the last stage), selected 0
   * hire:    applicants = not active = 2 + 3 + 5 + 6 = 16, selected 5
   */
  const rows = [
    [0, 'rejected', 2],
    [0, 'active', 1],
    [1, 'withdrawn', 3],
    [1, 'active', 4],
    [2, 'hired', 5],
    [2, 'rejected', 6],
  ].map(([furthest, status, n]) => ({
    furthest: Number(furthest),
    status: String(status),
    sex: 'female',
    race: 'white',
    n: Number(n),
  }));

  it('counts applicants (concluded) and selected (advanced) per decision', () => {
    const cells = decisionCells(rows, ['applied', 'a', 'b', 'hire'], 'hire');
    const at = (d: string) => cells.get(d)?.[0];
    expect(at('applied')).toMatchObject({ applicants: 20, selected: 18 });
    expect(at('a')).toMatchObject({ applicants: 14, selected: 11 });
    expect(at('b')).toMatchObject({ applicants: 6, selected: 0 });
    expect(at('hire')).toMatchObject({ applicants: 16, selected: 5 });
  });
});

describe('rateTables', () => {
  it('groups by sex, race and both, keeps unknown out of the ratios, and suppresses small cells', () => {
    /*
     * female|white 20 (10 selected), male|white 30 (24), another|white 2 (2), no demographics 10 (5), k = 5.
     * Sex: reference male (.8); female .5 / .8 = .625, flagged (5 x 10 x 30 = 1500 < 4 x 24 x 20 = 1920).
     * another (2) is small; another = 62 - 20 - 30 - unknown 10 would give it away, so unknown (10, the smallest
     * other cell of that sum) is suppressed as its complement.
     */
    const tables = rateTables(
      [
        { sex: 'female', race: 'white', applicants: 20, selected: 10 },
        { sex: 'male', race: 'white', applicants: 30, selected: 24 },
        { sex: 'another', race: 'white', applicants: 2, selected: 2 },
        { sex: null, race: null, applicants: 10, selected: 5 },
      ],
      5,
    );
    expect(tables.sex.applicants).toBe(62);
    expect(tables.sex.referenceGroup).toBe('male');
    expect(tables.sex.groups.map((g) => g.group)).toEqual(['female', 'male', 'another']);
    expect(tables.sex.groups[0]).toMatchObject({ impactRatio: 0.625, fourFifthsFlag: true });
    expect(tables.sex.groups[2]).toMatchObject({
      suppressed: true,
      suppressedReason: 'small',
      applicants: null,
    });
    expect(tables.sex.unknown).toBeNull();
    expect(tables.sex.unknownSuppressed).toBe(true);
    /*
     * Race: everyone known is white (52) and unknown 10 stays shown. Intersectional: another|white (2) is small and
     * = 62 - 20 - 30 - unknown 10, so its unknown count goes too; then another|white = 2 - (people of unknown sex
     * who are white, not shown) is no longer determined.
     */
    expect(tables.race_ethnicity.groups.map((g) => g.group)).toEqual(['white']);
    expect(tables.race_ethnicity.unknown).toBe(10);
    expect(tables.intersectional.unknownSuppressed).toBe(true);
    expect(tables.intersectional.groups.map((g) => g.label)).toEqual([
      'Female, White',
      'Male, White',
      'Another sex, White',
    ]);
  });

  it('labels groups', () => {
    expect(groupLabel('race_ethnicity', 'black_or_african_american')).toBe('Black or African American');
    expect(groupLabel('intersectional', 'female|asian')).toBe('Female, Asian');
  });
});

describe('differentialValidity', () => {
  it('flags groups below the minimum sample and explains a missing test', () => {
    const observations = [
      ...[1, 2, 3, 4, 5, 6].map((x) => ({ sex: 'female', race: null, score: x, outcome: x % 3 })),
      ...[1, 2, 3].map((x) => ({ sex: 'male', race: null, score: x, outcome: x })),
    ];
    const result = differentialValidity({ observations, grouping: 'sex', minimumSample: 5, k: 2 });
    expect(result.groups.map((g) => [g.group, g.n, g.insufficient])).toEqual([
      ['female', 6, false],
      ['male', 3, true],
    ]);
    expect(result.difference).toBeNull();
    expect(result.cleary).toBeNull();
    expect(result.notes[0]).toMatch(/Fewer than two groups/);
  });
});
