import { JetStreamClient, JetStreamManager } from 'nats';
import { decodeJson } from '@libs/event-store/codec';
import { isNotFound } from '@libs/event-store/jetstream-event-store';

/**
 * Hands every message of one subject, from the first up to the last one at the time of the call, to
 * `each` in order, one at a time, without holding more than one fetch batch (an ordered, ephemeral
 * consumer; nothing is left behind on the server).
 */
export async function eachMessageOf<T>(
  nats: { js: JetStreamClient; jsm: JetStreamManager },
  stream: string,
  subject: string,
  each: (message: T, seq: number) => Promise<void>,
): Promise<void> {
  let last: number;
  try {
    last = (await nats.jsm.streams.getMessage(stream, { last_by_subj: subject })).seq;
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  const consumer = await nats.js.consumers.get(stream, { filterSubjects: [subject] });
  let seq = 0;
  while (seq < last) {
    const batch = await consumer.fetch({ max_messages: 20, expires: 5_000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      seq = m.seq;
      await each(decodeJson<T>(m.data), m.seq);
      if (seq >= last) break;
    }
    if (got === 0) throw new Error(`reading ${subject} stalled at ${seq} of ${last}`);
  }
}
