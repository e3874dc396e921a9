// The ground truth tests judge by: every call, its timeline and its webhooks,
// plus the live-call counters.
import { ApiErrorRecord, CallRecord, OUTCOMES, Outcome, SimStats } from './types';

export interface CallFilter {
  answerUrlContains?: string;
}

export class CallStore {
  private readonly calls = new Map<string, CallRecord>();
  private readonly callUuidByRequestUuid = new Map<string, string>();
  private readonly refused: ApiErrorRecord[] = [];
  private live = 0;
  private maxLive = 0;

  add(record: CallRecord): void {
    this.calls.set(record.callUuid, record);
    this.callUuidByRequestUuid.set(record.requestUuid, record.callUuid);
    if (record.liveTo === null) {
      this.live += 1;
      this.maxLive = Math.max(this.maxLive, this.live);
    }
  }

  addApiError(record: ApiErrorRecord): void {
    this.refused.push(record);
  }

  apiErrors(): ApiErrorRecord[] {
    return [...this.refused];
  }

  /** Ends the live interval once; later calls are ignored. */
  markEnded(record: CallRecord, at: number): void {
    if (record.liveTo !== null) return;
    record.liveTo = at;
    if (this.calls.get(record.callUuid) === record) this.live -= 1;
  }

  /** By CallUUID or by RequestUUID. */
  get(uuid: string): CallRecord | undefined {
    return this.calls.get(uuid) ?? this.calls.get(this.callUuidByRequestUuid.get(uuid) ?? '');
  }

  list(filter: CallFilter = {}): CallRecord[] {
    const all = [...this.calls.values()];
    const needle = filter.answerUrlContains;
    return needle ? all.filter((c) => (c.request.answer_url ?? '').includes(needle)) : all;
  }

  stats(): SimStats {
    const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
    for (const call of this.calls.values()) byOutcome[call.outcome] += 1;
    return { total: this.calls.size, live: this.live, maxLive: this.maxLive, byOutcome, apiErrors: this.refused.length };
  }

  clear(): void {
    this.calls.clear();
    this.callUuidByRequestUuid.clear();
    this.refused.length = 0;
    this.live = 0;
    this.maxLive = 0;
  }
}
