import { niceDomain, tickStepFor, ticksFor, toPercent } from './forest-scale';

describe('forest plot scale', () => {
  it('rounds the domain out to whole steps, including zero, inside the bounds', () => {
    expect(niceDomain([0.12, 0.48], 0.2, [-1, 1])).toEqual([0, 0.6]);
    expect(niceDomain([-0.35, 0.5], 0.2, [-1, 1])).toEqual([-0.4, 0.6]);
    expect(niceDomain([-1.4, 2], 0.2, [-1, 1])).toEqual([-1, 1]);
    expect(niceDomain([null, undefined], 0.2, [-1, 1])).toEqual([-1, 1]);
    expect(niceDomain([2.4, 3.6], 1, [0, 5], [])).toEqual([2, 4]);
  });

  it('places ticks inside the domain only', () => {
    expect(ticksFor([-0.75, 0.75], 0.5)).toEqual([-0.5, 0, 0.5]);
    expect(ticksFor([0, 0.6], 0.2)).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it('chooses a step with few ticks that lands on both ends', () => {
    expect(tickStepFor([0, 0.6])).toBe(0.2);
    expect(tickStepFor([-1, 1])).toBe(0.5);
    expect(tickStepFor([0, 1])).toBe(0.2);
    expect(tickStepFor([-0.4, 0.6])).toBe(0.2);
  });

  it('maps values to a clamped percentage', () => {
    expect(toPercent(0, [-1, 1])).toBe(50);
    expect(toPercent(0.5, [0, 1])).toBe(50);
    expect(toPercent(2, [0, 1])).toBe(100);
    expect(toPercent(-2, [0, 1])).toBe(0);
  });
});
