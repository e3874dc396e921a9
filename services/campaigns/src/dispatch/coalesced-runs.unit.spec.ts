import { CoalescedRuns } from './coalesced-runs';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CoalescedRuns', () => {
  it('coalesces a burst of requests into one run', async () => {
    const runs: string[] = [];
    const c = new CoalescedRuns(async (k) => void runs.push(k), 10);
    for (let i = 0; i < 50; i++) c.request('a');
    c.request('b');
    await tick(40);
    expect(runs.sort()).toEqual(['a', 'b']);
    c.stop();
  });

  it('never runs one key twice at once, and runs once more after requests made during a run', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const c = new CoalescedRuns(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await tick(30);
      active--;
    }, 5);
    c.request('a');
    await tick(15);
    c.request('a');
    c.request('a');
    await tick(120);
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
    c.stop();
  });

  it('tries a failed run again', async () => {
    let calls = 0;
    const c = new CoalescedRuns(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    }, 5);
    c.request('a');
    await tick(50);
    expect(calls).toBe(2);
    c.stop();
  });
});
