import { AckPolicy, DeliverPolicy, JetStreamClient, JetStreamManager } from 'nats';

/** When a call's CallRequested and CallEnded were stored in the CALLS stream (the stream's own timestamps). */
export interface CallEventTimes {
  requestedAt?: number;
  endedAt?: number;
}

/** Reads the `requested` and `ended` events of one campaign from the CALLS stream, keyed by call id. */
export async function callEventTimes(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  subjectOf: (kind: 'requested' | 'ended') => string,
): Promise<Map<string, CallEventTimes>> {
  const filters = [subjectOf('requested'), subjectOf('ended')];
  const info = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, filter_subjects: filters, inactive_threshold: 60_000_000_000 });
  const consumer = await js.consumers.get(stream, info.name);
  const times = new Map<string, CallEventTimes>();
  let pending = info.num_pending;
  while (pending > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 500), expires: 2_000 });
    let got = 0;
    for await (const msg of batch) {
      got++;
      const parts = msg.subject.split('.');
      const [callId, kind] = parts.slice(-2);
      const entry = times.get(callId) ?? {};
      const at = Math.round(msg.info.timestampNanos / 1e6);
      if (kind === 'requested') entry.requestedAt = at;
      else entry.endedAt = at;
      times.set(callId, entry);
    }
    if (got === 0) break;
    pending -= got;
  }
  await jsm.consumers.delete(stream, info.name).catch(() => undefined);
  return times;
}
