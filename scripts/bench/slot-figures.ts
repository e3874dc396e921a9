/** Figures from the simulator's own record of live calls (request time to final webhook). */
export interface LiveInterval {
  from: number;
  to: number;
}

export interface SlotFigures {
  calls: number;
  makespanMs: number;
  /** Sum of live call time / (limit x makespan). */
  utilisation: number;
  callStartsPerSecond: number;
  maxLive: number;
  /** Delay from a call's end to the next call request on the slot it freed (ms), see `reuseDelays`. */
  reuseP50: number;
  reuseP99: number;
}

export function slotFigures(intervals: LiveInterval[], limit: number): SlotFigures {
  const starts = intervals.map((i) => i.from).sort((a, b) => a - b);
  const first = starts[0];
  const last = Math.max(...intervals.map((i) => i.to));
  const makespanMs = last - first;
  const live = intervals.reduce((sum, i) => sum + (i.to - i.from), 0);
  const events = [...intervals.map((i) => [i.from, 1] as const), ...intervals.map((i) => [i.to, -1] as const)].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let maxLive = 0;
  for (const [, delta] of events) {
    current += delta;
    maxLive = Math.max(maxLive, current);
  }
  const gaps = reuseDelays(intervals).sort((a, b) => a - b);
  const pct = (p: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * p))] : NaN);
  return {
    calls: intervals.length,
    makespanMs,
    utilisation: live / (limit * makespanMs),
    callStartsPerSecond: intervals.length / (makespanMs / 1000),
    maxLive,
    reuseP50: pct(0.5),
    reuseP99: pct(0.99),
  };
}

/**
 * For each call request made while a slot freed by an earlier call's end was waiting, the time that
 * slot waited: slots freed first are reused first. The sum is the slot time lost between calls; the
 * ramp (slots never used yet) and the tail (slots freed with nothing left to dial) are not in it.
 * Starts and ends at the same instant: the end comes first (a slot handed straight over waited 0 ms).
 */
export function reuseDelays(intervals: LiveInterval[]): number[] {
  const events = [...intervals.map((i) => ({ at: i.from, start: true })), ...intervals.map((i) => ({ at: i.to, start: false }))].sort(
    (a, b) => a.at - b.at || Number(a.start) - Number(b.start),
  );
  const freedAt: number[] = [];
  let next = 0;
  const delays: number[] = [];
  for (const event of events) {
    if (!event.start) freedAt.push(event.at);
    else if (next < freedAt.length) delays.push(event.at - freedAt[next++]);
  }
  return delays;
}
