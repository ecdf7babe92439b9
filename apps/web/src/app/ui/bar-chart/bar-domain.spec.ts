import { barDomain } from './bar-domain';

describe('barDomain', () => {
  it('spans [xMin, xMax] in whole steps when the data fit', () => {
    const [low, high] = barDomain([0.38, 0.17, 0.03], 0, 0.6, 0.2);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.6, 12);
  });

  it('leaves half a step left of a negative bar for its label', () => {
    // -.12 needs room to -.22: the axis starts at -.40, not at -.20 where the bar's label would cover the names.
    const [low] = barDomain([0.38, -0.12], 0, 0.6, 0.2);
    expect(low).toBeCloseTo(-0.4, 12);
    // -.05 - .10 = -.15 still fits above -.20.
    expect(barDomain([-0.05], 0, 0.6, 0.2)[0]).toBeCloseTo(-0.2, 12);
  });
});
