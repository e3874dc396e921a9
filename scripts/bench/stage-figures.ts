/** One call's way through the system, in epoch ms (undefined when a stage was not observed). */
export interface CallTimes {
  callId?: string;
  /** The dialer's holder appeared in the campaign scope. */
  slotTakenAt?: number;
  /** CallRequested stored (the claim). */
  claimedAt?: number;
  /** The Plivo simulator received the Call API request. */
  plivoRequestAt?: number;
  /** The simulator sent the final hangup webhook. */
  hangupAt?: number;
  /** CallEnded stored (call-tracking). */
  endedAt?: number;
  /** The last holder of the call left the campaign scope. */
  slotFreedAt?: number;
}

export const STAGES = [
  ['slot taken -> claimed', 'slotTakenAt', 'claimedAt'],
  ['claimed -> Plivo request', 'claimedAt', 'plivoRequestAt'],
  ['Plivo request -> hangup (the call)', 'plivoRequestAt', 'hangupAt'],
  ['hangup -> CallEnded stored', 'hangupAt', 'endedAt'],
  ['CallEnded -> slot freed', 'endedAt', 'slotFreedAt'],
] as const;

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

/** Per stage, the spread of its duration over the calls where both ends were seen. */
export function stageFigures(calls: CallTimes[]): { stage: string; figures: Percentiles }[] {
  return STAGES.map(([stage, from, to]) => ({
    stage,
    figures: percentiles(calls.filter((c) => c[from] !== undefined && c[to] !== undefined).map((c) => c[to]! - c[from]!)),
  }));
}

/**
 * How long a freed slot stays empty: from each freeing to the next taking in the same scope, while
 * calls were still waiting (only gaps before the last taking count).
 */
export function idleAfterFree(spans: { takenAt: number; freedAt?: number }[]): Percentiles {
  const takes = spans.map((s) => s.takenAt).sort((a, b) => a - b);
  const lastTake = takes[takes.length - 1];
  const gaps = spans
    .filter((s) => s.freedAt !== undefined && s.freedAt < lastTake)
    .map((s) => takes.find((t) => t >= s.freedAt!)! - s.freedAt!);
  return percentiles(gaps);
}
