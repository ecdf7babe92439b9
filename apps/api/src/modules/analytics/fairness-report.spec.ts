import { decisionCells, differentialValidity, groupLabel, rateTables } from './fairness-report';

describe('decisionCells', () => {
  /*
   * Stages a(1), b(2); 'applied' is 0. Rows (furthest, status, n), all female|white:
   *   (0, rejected, 2)  exited at applied
   *   (0, active, 1)    in progress at applied: in no decision (not at hire either: it is active)
   *   (1, withdrawn, 3) advanced from applied, exited at a
   *   (1, active, 4)    advanced from applied, in progress at a (left out there)
   *   (2, hired, 5)     a hire: furthest = the last stage; advanced from applied and a, and past b (hired)
   *   (2, rejected, 6)  advanced from applied and a, exited at b
   * applied: applicants 2 + 3 + 4 + 5 + 6 = 20, selected 18
   * a:       applicants 3 + 5 + 6 = 14 (the 4 in progress left out), selected 11
   * b:       applicants 5 + 6 = 11 (a hire passes the last stage too: a list may end before 'hired'), selected 5
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
    expect(at('b')).toMatchObject({ applicants: 11, selected: 5 });
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
    // No count, rate, ratio, 2% flag or reason: each would narrow the hidden count.
    expect(tables.sex.groups[2]).toMatchObject({
      suppressed: true,
      suppressedReason: null,
      excluded: false,
      applicants: null,
      selected: null,
      selectionRate: null,
      impactRatio: null,
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

describe('rateTables: the second count of a row', () => {
  it('suppresses a group whose selected, or not selected, count is under k, though it has k or more applicants', () => {
    /*
     * k = 5. female|white 40 applicants with 3 selected (3 < 5: the 3 would be a small cell), male|white 40 with
     * 20, male|asian 30 with 27 (27 selected, 3 not: also a small cell), female|asian 30 with 15, unknown 10.
     * Sex table: female = 70 (18 selected, 52 not) and male = 70 (47, 23); race: white 80 (23), asian 60 (42): no
     * count under 5. Intersectional: female|white and male|asian are suppressed by the rule, whatever else the
     * complementary rule then hides so that the margins do not give them back.
     */
    const tables = rateTables(
      [
        { sex: 'female', race: 'white', applicants: 40, selected: 3 },
        { sex: 'male', race: 'white', applicants: 40, selected: 20 },
        { sex: 'male', race: 'asian', applicants: 30, selected: 27 },
        { sex: 'female', race: 'asian', applicants: 30, selected: 15 },
        { sex: null, race: null, applicants: 10, selected: 5 },
      ],
      5,
    );
    const inter = new Map(tables.intersectional.groups.map((g) => [g.group, g]));
    expect(inter.get('female|white')).toMatchObject({ suppressed: true, applicants: null, selected: null });
    expect(inter.get('male|asian')).toMatchObject({ suppressed: true, applicants: null, selected: null });
    // Every shown row has 0 or at least 5 people in each count it shows.
    for (const table of [tables.sex, tables.race_ethnicity, tables.intersectional]) {
      for (const g of table.groups) {
        if (g.suppressed) continue;
        const counts = [
          g.applicants as number,
          g.selected as number,
          (g.applicants as number) - (g.selected as number),
        ];
        expect({ group: g.group, small: counts.some((n) => n > 0 && n < 5) }).toEqual({
          group: g.group,
          small: false,
        });
      }
    }
  });
});
