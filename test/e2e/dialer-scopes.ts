// Live calls per concurrency scope, from the Plivo simulator's record (the telephony side's truth).
import { CallRecord, maxConcurrent } from '../../tools/plivo-simulator/src/client';

/** The campaign a simulated call belongs to, from its answer URL (`.../plivo/<campaignId>/<callId>/answer`). */
export function campaignOf(call: CallRecord): string {
  const match = /\/plivo\/([^/]+)\/[^/]+\/answer/.exec(call.request.answer_url);
  if (!match) throw new Error(`no campaign in answer_url ${call.request.answer_url}`);
  return decodeURIComponent(match[1]);
}

/** The most calls ever live at once in every scope: `campaign.<id>`, `client.<id>` and `global`. */
export function maxLiveByScope(record: CallRecord[], clientOf: (campaignId: string) => string): Map<string, number> {
  const groups = new Map<string, CallRecord[]>();
  const add = (key: string, call: CallRecord) => groups.set(key, [...(groups.get(key) ?? []), call]);
  for (const call of record) {
    const campaignId = campaignOf(call);
    add(`campaign.${campaignId}`, call);
    add(`client.${clientOf(campaignId)}`, call);
    add('global', call);
  }
  const unfinished = record.filter((c) => c.liveTo === null);
  if (unfinished.length) throw new Error(`${unfinished.length} calls are still live in the simulator`);
  return new Map([...groups].map(([key, calls]) => [key, maxConcurrent(calls.map((c) => ({ from: c.liveFrom, to: c.liveTo! })))]));
}

/** Scopes whose live calls went over their limit, as readable lines (empty when none did). */
export function overLimit(maxLive: Map<string, number>, limits: Map<string, number>): string[] {
  return [...maxLive].filter(([key, live]) => live > (limits.get(key) ?? Infinity)).map(([key, live]) => `${key}: ${live} live > limit ${limits.get(key)}`);
}
