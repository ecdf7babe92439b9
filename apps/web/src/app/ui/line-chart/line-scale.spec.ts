import { categoriesOf, labelEvery, niceStep, segments, valueTicks } from './line-scale';

describe('line chart scale', () => {
  it('chooses a step of 1, 2, 2.5 or 5 times a power of ten with at most five intervals', () => {
    expect(niceStep(1.2)).toBe(0.25);
    expect(niceStep(0.8)).toBe(0.2);
    expect(niceStep(120)).toBe(25);
    expect(niceStep(1000)).toBe(200);
    expect(niceStep(0)).toBe(1);
  });

  it('places ticks on whole steps inside the domain', () => {
    expect(valueTicks(-0.6, 0.6, 0.2)).toEqual([-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6]);
    expect(valueTicks(0, 120, 25)).toEqual([0, 25, 50, 75, 100]);
  });

  it('lists categories in order of first appearance across series', () => {
    expect(
      categoriesOf([
        { name: 'a', series: [{ name: 'Q2', value: 1 }] },
        {
          name: 'b',
          series: [
            { name: 'Q1', value: 1 },
            { name: 'Q2', value: 2 },
            { name: 'Q3', value: 3 },
          ],
        },
      ]),
    ).toEqual(['Q2', 'Q1', 'Q3']);
  });

  it('thins the labels so they do not overlap', () => {
    expect(labelEvery(60, 50)).toBe(1);
    expect(labelEvery(20, 50)).toBe(3);
  });

  it('mutes every segment that touches a muted category', () => {
    const p = (category: string) => ({ category });
    expect(
      segments([p('Q1'), p('Q2'), p('Q3'), p('Q4')], new Set(['Q2'])).map((s) => [
        s.from.category,
        s.to.category,
        s.muted,
      ]),
    ).toEqual([
      ['Q1', 'Q2', true],
      ['Q2', 'Q3', true],
      ['Q3', 'Q4', false],
    ]);
  });
});
