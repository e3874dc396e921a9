import { admit, decodeWindow, emptyWindow, encodeWindow, prune, RateLimits, RateWindow, settle } from './rate-window';

const limits: RateLimits = { cps: 3, inFlightExpiryMs: 10_000 };

describe('rate window', () => {
  it('admits up to cps requests at once, then says when the next one fits', () => {
    let window = admit(emptyWindow(), ['a', 'b'], 1_000, limits).window;
    const decision = admit(window, ['c', 'd'], 1_000, limits);
    expect(decision).toMatchObject({ admitted: 1, retryAt: 1_000 + 10_000 + 1_000 });
    window = decision.window;
    expect(window).toEqual({ inFlight: { a: 1_000, b: 1_000, c: 1_000 }, answered: [] });
    window = settle(window, [{ id: 'b', answeredAt: 1_040 }]).window;
    // b may have reached Plivo as late as 1 040: it counts until 2 040.
    expect(window).toEqual({ inFlight: { a: 1_000, c: 1_000 }, answered: [2_040] });
    expect(admit(window, ['d'], 1_500, limits)).toMatchObject({ admitted: 0, retryAt: 2_040 });
    expect(admit(window, ['d'], 2_040, limits)).toMatchObject({ admitted: 1 });
  });

  it('takes back a withdrawn admission at once, and forgets requests that no longer count', () => {
    let window: RateWindow = { inFlight: { a: 0, b: 0, c: 0 }, answered: [] };
    window = settle(window, [{ id: 'a', withdrawn: true }]).window;
    expect(admit(window, ['d'], 5, limits)).toMatchObject({ admitted: 1 });
    // Reports about requests the window does not hold in flight (a stale view) change nothing and are counted.
    const stale = settle(window, [{ id: 'zz', withdrawn: true }, { id: 'zz', answeredAt: 5 }]);
    expect(stale).toEqual({ window, unmatched: 2 });
    expect(stale.window).toBe(window);
    expect(settle(window, [{ id: 'b', answeredAt: 7 }, { id: 'zz', answeredAt: 7 }, { id: 'c', withdrawn: true }])).toEqual({
      window: { inFlight: {}, answered: [1_007] },
      unmatched: 1,
    });
    expect(window).toEqual({ inFlight: { b: 0, c: 0 }, answered: [] }); // settle copies
    // A request answered counts for a second after its answer; one in flight of a dead dialer, after its expiry plus a second.
    expect(prune({ inFlight: { x: 0 }, answered: [1_500] }, 1_499, limits)).toEqual({ inFlight: { x: 0 }, answered: [1_500] });
    expect(prune({ inFlight: { x: 0 }, answered: [1_500] }, 1_500, limits)).toEqual({ inFlight: { x: 0 }, answered: [] });
    expect(prune({ inFlight: { x: 0 }, answered: [] }, 11_000, limits)).toEqual({ inFlight: {}, answered: [] });
  });

  it('is stored with times as offsets from the write, and reads the windows older dialers stored', () => {
    const window: RateWindow = { inFlight: { a: 1_733_500_000_000 }, answered: [1_733_500_000_900, 1_733_500_001_000] };
    const stored = encodeWindow(window, 1_733_500_000_100);
    expect(stored).toBe('{"t":1733500000100,"f":{"a":-100},"a":[800,900]}');
    expect(decodeWindow(JSON.parse(stored))).toEqual(window);
    // { id: [admittedAt, answeredAt] }, answeredAt 0 while in flight; before that a plain number.
    expect(decodeWindow({ a: [100, 0], b: [100, 300] })).toEqual({ inFlight: { a: 100 }, answered: [1_300] });
    expect(decodeWindow(1_733_500_000_000)).toEqual(emptyWindow());
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
      let window = emptyWindow();
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
