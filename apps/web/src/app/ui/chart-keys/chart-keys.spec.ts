import { nextRow, tabStop } from './chart-keys';

describe('chart row keys', () => {
  it('moves one row with the arrows and to the ends with Home and End, never past them', () => {
    expect(nextRow('ArrowDown', 0, 5)).toBe(1);
    expect(nextRow('ArrowUp', 3, 5)).toBe(2);
    expect(nextRow('Home', 3, 5)).toBe(0);
    expect(nextRow('End', 1, 5)).toBe(4);
    expect(nextRow('ArrowDown', 4, 5)).toBeNull();
    expect(nextRow('ArrowUp', 0, 5)).toBeNull();
    expect(nextRow('Enter', 2, 5)).toBeNull();
    expect(nextRow('ArrowDown', 0, 0)).toBeNull();
  });

  it('keeps one tab stop: the last focused row while it exists, else the first', () => {
    expect(tabStop(2, 5)).toBe(2);
    expect(tabStop(6, 5)).toBe(0);
    expect(tabStop(-1, 5)).toBe(0);
  });
});
