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
  /** Delay from a call's end to the next call start after it (ms). */
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
  const gaps = intervals
    .map((i) => starts.find((s) => s >= i.to))
    .map((next, k) => (next === undefined ? undefined : next - intervals[k].to))
    .filter((g): g is number => g !== undefined)
    .sort((a, b) => a - b);
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
