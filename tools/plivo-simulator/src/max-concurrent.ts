export interface Interval {
  from: number;
  to: number;
}

/**
 * The largest number of intervals open at one instant. Intervals are half-open
 * [from, to): one ending at t and another starting at t are not concurrent, and
 * an empty interval (from === to) never counts.
 */
export function maxConcurrent(intervals: readonly Interval[]): number {
  const events: [time: number, delta: 1 | -1][] = [];
  for (const { from, to } of intervals) {
    if (!(from <= to)) throw new RangeError(`interval ends before it starts: [${from}, ${to})`);
    if (from === to) continue;
    events.push([from, 1], [to, -1]);
  }
  // At equal times, ends sort before starts.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of events) {
    open += delta;
    if (open > max) max = open;
  }
  return max;
}
