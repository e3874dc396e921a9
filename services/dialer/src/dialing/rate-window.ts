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

/**
 * The window: requests in flight by id (their admission time), and for each answered request only the
 * time until which it still counts (a request is reported once, so its id is no longer needed). Times
 * in epoch ms. The whole window is written on every round, so it is kept small.
 */
export interface RateWindow {
  inFlight: Record<string, number>;
  answered: number[];
}

export interface RateLimits {
  cps: number;
  /** An in-flight request older than this is taken as answered then (its dialer died). */
  inFlightExpiryMs: number;
}

const WINDOW_MS = 1000;

export function emptyWindow(): RateWindow {
  return { inFlight: {}, answered: [] };
}

/** How many requests the window counts. */
export function size(window: RateWindow): number {
  let n = window.answered.length;
  for (const _id in window.inFlight) n++;
  return n;
}

/** The time until which a request in flight since `admittedAt` counts, if its answer never comes. */
function inFlightUntil(admittedAt: number, limits: RateLimits): number {
  return admittedAt + limits.inFlightExpiryMs + WINDOW_MS;
}

/** Drops requests that no longer count; always a fresh window. */
export function prune(window: RateWindow, now: number, limits: RateLimits): RateWindow {
  const inFlight: Record<string, number> = {};
  for (const id in window.inFlight) if (inFlightUntil(window.inFlight[id], limits) > now) inFlight[id] = window.inFlight[id];
  return { inFlight, answered: window.answered.filter((until) => until > now) };
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
  const admitted = Math.max(0, Math.min(ids.length, limits.cps - size(next)));
  for (const id of ids.slice(0, admitted)) next.inFlight[id] = now;
  if (admitted === ids.length) return { window: next, admitted };
  // The earliest moment enough requests stop counting for one more to fit.
  const until = [...Object.values(next.inFlight).map((t) => inFlightUntil(t, limits)), ...next.answered].sort((a, b) => a - b);
  return { window: next, admitted, retryAt: until[until.length - limits.cps] };
}

/** What became of an admitted request: its answer came back (or waiting for it ended) at `answeredAt`, or it was withdrawn: nothing was sent. */
export type Report = { id: string; answeredAt: number } | { id: string; withdrawn: true };

/**
 * Records reports in one copy of the window. `unmatched` counts reports whose request is not in flight
 * in it (a stale view); when none matched, the window comes back as it was.
 */
export function settle(window: RateWindow, reports: Report[]): { window: RateWindow; unmatched: number } {
  let next: RateWindow | undefined;
  let unmatched = 0;
  for (const report of reports) {
    const admittedAt = (next ?? window).inFlight[report.id];
    if (admittedAt === undefined) {
      unmatched++;
      continue;
    }
    next ??= { inFlight: { ...window.inFlight }, answered: window.answered.slice() };
    delete next.inFlight[report.id];
    // It may have reached Plivo as late as its answer: it counts for a second from then.
    if (!('withdrawn' in report)) next.answered.push(Math.max(report.answeredAt, admittedAt) + WINDOW_MS);
  }
  return { window: next ?? window, unmatched };
}

/** The window as stored: times as ms offsets from `t`, the time of the write (a few digits each, not thirteen). */
interface StoredWindow {
  t: number;
  f: Record<string, number>;
  a: number[];
}

export function encodeWindow(window: RateWindow, now: number): string {
  const f: Record<string, number> = {};
  for (const id in window.inFlight) f[id] = window.inFlight[id] - now;
  const stored: StoredWindow = { t: now, f, a: window.answered.map((until) => until - now) };
  return JSON.stringify(stored);
}

/**
 * The window from its stored JSON value. Dialers before this format stored `{ id: [admittedAt,
 * answeredAt] }` (answeredAt 0 in flight), and before that a plain number: both are still read.
 */
export function decodeWindow(value: unknown): RateWindow {
  if (!value || typeof value !== 'object') return emptyWindow();
  if (isStored(value)) {
    const inFlight: Record<string, number> = {};
    for (const id in value.f) inFlight[id] = value.t + value.f[id];
    return { inFlight, answered: value.a.map((offset) => value.t + offset) };
  }
  const window = emptyWindow();
  for (const [id, [admittedAt, answeredAt]] of Object.entries(value as Record<string, [number, number]>)) {
    if (answeredAt) window.answered.push(Math.max(answeredAt, admittedAt) + WINDOW_MS);
    else window.inFlight[id] = admittedAt;
  }
  return window;
}

function isStored(value: object): value is StoredWindow {
  const v = value as Partial<StoredWindow>;
  return typeof v.t === 'number' && typeof v.f === 'object' && Array.isArray(v.a);
}
