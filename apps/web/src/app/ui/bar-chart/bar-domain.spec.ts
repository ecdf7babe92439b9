import { barDomain, barSpan, barTicks } from './bar-domain';

describe('barDomain', () => {
  it('spans [xMin, xMax] in whole steps when the data fit', () => {
    expect(barDomain([0.38, 0.17, 0.03], 0, 0.6, 0.2)).toEqual([0, 0.6]);
  });

  it('widens to whole steps around values outside [xMin, xMax], zero always included', () => {
    expect(barDomain([0.38, -0.12], 0, 0.6, 0.2)).toEqual([-0.2, 0.6]);
    expect(barDomain([0.72], 0, 0.6, 0.2)).toEqual([0, 0.8]);
    expect(barDomain([3, 7], 2, 5, 5)).toEqual([0, 10]);
  });

  it('is one step wide when every value is zero', () => {
    expect(barDomain([0, 0], 0, 0, 0.2)).toEqual([0, 0.2]);
  });
});

describe('barTicks and barSpan', () => {
  it('puts a tick on every step, ends included', () => {
    expect(barTicks([-0.2, 0.6], 0.2)).toEqual([-0.2, 0, 0.2, 0.4, 0.6]);
  });

  it('draws a bar from zero to the value, to the left for a negative one', () => {
    // Domain -.2 to .6: zero sits at 25% of the axis, .4 at 75%, -.1 at 12.5%.
    expect(barSpan(0.4, [-0.2, 0.6])).toEqual({ left: 25, width: 50 });
    expect(barSpan(-0.1, [-0.2, 0.6])).toEqual({ left: 12.5, width: 12.5 });
    expect(barSpan(0, [-0.2, 0.6])).toEqual({ left: 25, width: 0 });
    // Clamped to the axis.
    expect(barSpan(2, [0, 1])).toEqual({ left: 0, width: 100 });
  });
});
