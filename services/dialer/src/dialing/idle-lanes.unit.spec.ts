import { IdleLanes } from './idle-lanes';

describe('IdleLanes', () => {
  it('releases as many waiting lanes as asked, oldest first, and the rest on their timeout', async () => {
    jest.useFakeTimers();
    try {
      const lanes = new IdleLanes();
      const released: number[] = [];
      const waits = [0, 1, 2, 3, 4].map((n) => lanes.wait(1_000).then(() => released.push(n)));
      lanes.release(2);
      await Promise.resolve();
      expect(released).toEqual([0, 1]);
      lanes.release(0);
      await Promise.resolve();
      expect(released).toEqual([0, 1]);
      jest.advanceTimersByTime(1_000);
      await Promise.all(waits);
      expect(released).toEqual([0, 1, 2, 3, 4]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('releases every waiting lane at once when the campaign stops', async () => {
    const lanes = new IdleLanes();
    const waits = [lanes.wait(60_000), lanes.wait(60_000)];
    lanes.releaseAll();
    await expect(Promise.all(waits)).resolves.toEqual([undefined, undefined]);
  });
});
