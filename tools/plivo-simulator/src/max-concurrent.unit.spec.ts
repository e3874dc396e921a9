import { maxConcurrent } from './max-concurrent';

describe('maxConcurrent', () => {
  it('is 0 for no intervals', () => {
    expect(maxConcurrent([])).toBe(0);
  });

  it('counts overlapping intervals', () => {
    expect(maxConcurrent([{ from: 0, to: 10 }, { from: 5, to: 15 }, { from: 7, to: 8 }])).toBe(3);
  });

  it('does not count an interval ending at t and one starting at t as concurrent', () => {
    expect(maxConcurrent([{ from: 0, to: 10 }, { from: 10, to: 20 }, { from: 20, to: 30 }])).toBe(1);
  });

  it('handles many starts at the same instant, in any order', () => {
    const intervals = [{ from: 5, to: 9 }, { from: 0, to: 5 }, { from: 5, to: 6 }, { from: 5, to: 7 }];
    expect(maxConcurrent(intervals)).toBe(3);
    expect(maxConcurrent([...intervals].reverse())).toBe(3);
  });

  it('ignores empty intervals and rejects reversed ones', () => {
    expect(maxConcurrent([{ from: 3, to: 3 }, { from: 0, to: 10 }])).toBe(1);
    expect(() => maxConcurrent([{ from: 4, to: 3 }])).toThrow(RangeError);
    expect(() => maxConcurrent([{ from: NaN, to: 3 }])).toThrow(RangeError);
  });

  it('matches a brute-force count on random intervals', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const intervals = Array.from({ length: 30 }, () => {
        const from = Math.floor(random() * 100);
        return { from, to: from + Math.floor(random() * 20) };
      });
      let brute = 0;
      for (let t = 0; t < 130; t++) {
        brute = Math.max(brute, intervals.filter((i) => i.from <= t && t < i.to).length);
      }
      expect(maxConcurrent(intervals)).toBe(brute);
    }
  });
});
