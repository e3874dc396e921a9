import { idleAfterFree, percentiles, stageFigures } from './stage-figures';

describe('bench stage figures', () => {
  it('takes percentiles over the calls where both ends of a stage were seen', () => {
    const figures = stageFigures([
      { slotTakenAt: 0, claimedAt: 10, plivoRequestAt: 15, hangupAt: 315, endedAt: 320, slotFreedAt: 330 },
      { slotTakenAt: 100, claimedAt: 130, plivoRequestAt: 131 },
    ]);
    expect(figures[0]).toEqual({ stage: 'slot taken -> claimed', figures: { n: 2, p50: 30, p90: 30, p99: 30 } });
    expect(figures[4].figures).toEqual({ n: 1, p50: 10, p90: 10, p99: 10 });
  });

  it('measures how long a freed slot waits for its next holder', () => {
    const spans = [
      { takenAt: 0, freedAt: 100 },
      { takenAt: 110, freedAt: 300 },
      { takenAt: 350, freedAt: 400 },
      { takenAt: 360 }, // still held
    ];
    // 100 -> 110 and 300 -> 350; the freeing at 400 comes after the last taking.
    expect(idleAfterFree(spans)).toEqual(percentiles([10, 50]));
  });
});
