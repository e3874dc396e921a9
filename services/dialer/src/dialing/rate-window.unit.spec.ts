import { admit, prune, RateLimits, RateWindow, settle } from './rate-window';

const limits: RateLimits = { cps: 3, inFlightExpiryMs: 10_000 };

describe('rate window', () => {
  it('admits up to cps requests at once, then says when the next one fits', () => {
    let window = admit({}, ['a', 'b'], 1_000, limits).window;
    const decision = admit(window, ['c', 'd'], 1_000, limits);
    expect(decision).toMatchObject({ admitted: 1, retryAt: 1_000 + 10_000 + 1_000 });
    window = decision.window;
    expect(Object.keys(window)).toEqual(['a', 'b', 'c']);
    window = settle(window, [{ id: 'b', answeredAt: 1_040 }]).window;
    // b may have reached Plivo as late as 1 040: it counts until 2 040.
    expect(admit(window, ['d'], 1_500, limits)).toMatchObject({ admitted: 0, retryAt: 2_040 });
    expect(admit(window, ['d'], 2_040, limits)).toMatchObject({ admitted: 1 });
  });

  it('takes back a withdrawn admission at once, and forgets requests that no longer count', () => {
    let window: RateWindow = { a: [0, 0], b: [0, 0], c: [0, 0] };
    window = settle(window, [{ id: 'a', withdrawn: true }]).window;
    expect(admit(window, ['d'], 5, limits)).toMatchObject({ admitted: 1 });
    // Reports about requests the window does not hold (a stale view) change nothing and are counted.
    const stale = settle(window, [{ id: 'zz', withdrawn: true }, { id: 'zz', answeredAt: 5 }]);
    expect(stale).toEqual({ window, unmatched: 2 });
    expect(stale.window).toBe(window);
    expect(settle(window, [{ id: 'b', answeredAt: 7 }, { id: 'zz', answeredAt: 7 }, { id: 'c', withdrawn: true }])).toEqual({ window: { b: [0, 7] }, unmatched: 1 });
    expect(window).toEqual({ b: [0, 0], c: [0, 0] }); // settle copies
    // An in-flight request of a dead dialer stops counting after its expiry plus a second.
    expect(prune({ x: [0, 0], y: [0, 500] }, 1_499, limits)).toEqual({ x: [0, 0], y: [0, 500] });
    expect(prune({ x: [0, 0], y: [0, 500] }, 1_500, limits)).toEqual({ x: [0, 0] });
    expect(prune({ x: [0, 0] }, 11_000, limits)).toEqual({});
  });

  /**
   * Many senders, random network delays both ways: whatever the delays, the arrivals (anywhere
   * between admission and answer) never put more than cps requests in any one-second window.
   */
  it('never lets more than cps requests arrive within a second, whatever the delays', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const cps of [1, 2, 5]) {
      const l: RateLimits = { cps, inFlightExpiryMs: 10_000 };
      let window: RateWindow = {};
      const arrivals: number[] = [];
      const answers: { at: number; id: string }[] = [];
      let now = 0;
      for (let n = 0; n < 400; n++) {
        // Apply the answers that came back by now (their updates may lag: that only counts them longer).
        window = settle(window, answers.filter((x) => x.at <= now).map((a) => ({ id: a.id, answeredAt: a.at }))).window;
        answers.splice(0, answers.length, ...answers.filter((x) => x.at > now));
        const decision = admit(window, [`r${n}`], now, l);
        if (!decision.admitted) {
          now = Math.min(decision.retryAt!, ...answers.map((a) => a.at));
          n--;
          continue;
        }
        window = decision.window;
        if (random() < 0.1) {
          window = settle(window, [{ id: `r${n}`, withdrawn: true }]).window;
          continue;
        }
        const arrival = now + random() * 400;
        arrivals.push(arrival);
        answers.push({ id: `r${n}`, at: arrival + random() * 400 });
        now += random() * 50;
      }
      const sorted = arrivals.sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; i < sorted.length; i++) {
        while (sorted[i] - sorted[j] >= 1000) j++;
        most = Math.max(most, i - j + 1);
      }
      expect(most).toBeLessThanOrEqual(cps);
      expect(most).toBe(cps); // the senders kept the window full: the check is not vacuous
    }
  });
});
