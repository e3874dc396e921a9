import { reuseDelays, slotFigures } from './slot-figures';

describe('slot figures', () => {
  it('pairs each end with the next request on the slot it freed, oldest freed slot first', () => {
    // Limit 2. Calls a and b start at once; a ends at 100, b at 110; c starts at 105 (a's slot), d at 140 (b's slot).
    const intervals = [
      { from: 0, to: 100 },
      { from: 0, to: 110 },
      { from: 105, to: 200 },
      { from: 140, to: 210 },
    ];
    expect(reuseDelays(intervals)).toEqual([5, 30]);
    // The tail (200, 210: nothing left to dial) and the ramp (the first two starts) count for nothing.
    expect(slotFigures(intervals, 2)).toMatchObject({ reuseP50: 30, utilisation: (100 + 110 + 95 + 70) / (2 * 210) });
  });

  it('counts a slot handed over at the instant it was freed as reused at once', () => {
    expect(reuseDelays([{ from: 0, to: 50 }, { from: 50, to: 80 }])).toEqual([0]);
  });
});
