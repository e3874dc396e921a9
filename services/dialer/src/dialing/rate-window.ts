/**
 * The account-wide sliding window of Call API requests, as pure functions over its stored state.
 *
 * Where Plivo counts a request (its arrival) is not observable, but it lies between the moment the
 * request was admitted here and the moment its answer came back. A request is admitted only when
 * fewer than `cps` earlier requests may still have arrived within the last second, counting a request
 * as "may have arrived" from its admission until one second after its answer (for ever while it is in
 * flight). Then no second, as Plivo sees it, holds more than `cps` requests, whatever the delays on
 * the way: for any cps + 1 arrivals within one second, the one admitted last would have seen the
 * other cps as possibly inside its second. Clocks of dialer hosts must agree (NTP); a skew adds to
 * how early a host may send.
 */

/** Request id -> [admittedAt, answeredAt], times in epoch ms; answeredAt 0 while in flight. */
export type RateWindow = Record<string, [number, number]>;

export interface RateLimits {
  cps: number;
  /** An in-flight request older than this is taken as answered then (its dialer died). */
  inFlightExpiryMs: number;
}

const WINDOW_MS = 1000;

/** The time until which a request still counts against the window. */
function countsUntil([admittedAt, answeredAt]: [number, number], limits: RateLimits): number {
  const answered = answeredAt || admittedAt + limits.inFlightExpiryMs;
  return answered + WINDOW_MS;
}

/** Drops requests that no longer count. */
export function prune(window: RateWindow, now: number, limits: RateLimits): RateWindow {
  // A loop, not entries/filter/fromEntries: this runs on every round of the dialer's busiest writer.
  const kept: RateWindow = {};
  for (const id in window) if (countsUntil(window[id], limits) > now) kept[id] = window[id];
  return kept;
}

export interface Admission {
  /** The window with the admitted requests in it, to be stored with CAS. */
  window: RateWindow;
  /** How many of the requests asked for were admitted (the first ones, in order). */
  admitted: number;
  /** When some were not: try again then, or when the window changes (an answer arrives), whichever is first. */
  retryAt?: number;
}

/** Admits now, in order, as many of the requests `ids` as the window has room for. */
export function admit(window: RateWindow, ids: string[], now: number, limits: RateLimits): Admission {
  const next = prune(window, now, limits);
  const counted = Object.keys(next).length;
  const admitted = Math.max(0, Math.min(ids.length, limits.cps - counted));
  for (const id of ids.slice(0, admitted)) next[id] = [now, 0];
  if (admitted === ids.length) return { window: next, admitted };
  // The earliest moment enough requests stop counting for one more to fit.
  const until = Object.values(next)
    .map((r) => countsUntil(r, limits))
    .sort((a, b) => a - b);
  return { window: next, admitted, retryAt: until[until.length - limits.cps] };
}

/** What became of an admitted request: its answer came back (or waiting for it ended) at `answeredAt`, or it was withdrawn: nothing was sent. */
export type Report = { id: string; answeredAt: number } | { id: string; withdrawn: true };

/**
 * Records reports in one copy of the window. `unmatched` counts reports whose request is not in it (a
 * stale view); when none matched, the window comes back as it was.
 */
export function settle(window: RateWindow, reports: Report[]): { window: RateWindow; unmatched: number } {
  let next: RateWindow | undefined;
  let unmatched = 0;
  for (const report of reports) {
    const entry = (next ?? window)[report.id];
    if (!entry) {
      unmatched++;
      continue;
    }
    next ??= { ...window };
    if ('withdrawn' in report) delete next[report.id];
    else next[report.id] = [entry[0], Math.max(report.answeredAt, entry[0])];
  }
  return { window: next ?? window, unmatched };
}
