import { JetStreamClient, JetStreamManager, JsMsg, NatsError } from 'nats';
import { EventEnvelope } from '@contracts/envelope';
import { decodeJson, encodeEvent } from './codec';

/** The append was refused because the aggregate moved on since it was read. */
export class ConcurrencyError extends Error {
  constructor(subject: string, expected: number) {
    super(`stream ${subject} is no longer at revision ${expected}`);
    this.name = 'ConcurrencyError';
  }
}

export interface StoredEvents<E> {
  events: E[];
  /** Stream sequence of the last event read; 0 when the aggregate has no events. */
  revision: number;
}

/**
 * An event store on one JetStream stream: each aggregate is one subject, its revision the stream
 * sequence of its last message. Appends carry `Nats-Expected-Last-Subject-Sequence` (optimistic
 * concurrency) and `Nats-Msg-Id` = event id (a retried publish is dropped as a duplicate).
 */
export class JetStreamEventStore {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
  ) {}

  async lastRevision(subject: string): Promise<number> {
    try {
      const m = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
      return m.seq;
    } catch (e) {
      if (isNotFound(e)) return 0;
      throw e;
    }
  }

  /** Reads the events of `subject` after `afterRevision`, up to the subject's current last message. */
  async read<E extends EventEnvelope>(subject: string, afterRevision = 0): Promise<StoredEvents<E>> {
    const last = await this.lastRevision(subject);
    if (last <= afterRevision) return { events: [], revision: afterRevision };
    const consumer = await this.js.consumers.get(this.stream, {
      filterSubjects: [subject],
      opt_start_seq: afterRevision + 1,
    });
    const events: E[] = [];
    let revision = afterRevision;
    try {
      while (revision < last) {
        const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
        let got = 0;
        for await (const m of batch) {
          got++;
          events.push(decodeJson<E>(m.data));
          revision = m.seq;
          if (revision >= last) break;
        }
        if (got === 0) throw new Error(`read of ${subject} stalled at ${revision} of ${last}`);
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return { events, revision };
  }

  /** Appends in order; the first publish must find the subject at `expectedRevision`. Returns the new revision. */
  async append(subject: string, events: EventEnvelope[], expectedRevision: number): Promise<number> {
    let revision = expectedRevision;
    for (const event of events) {
      try {
        const ack = await this.js.publish(subject, encodeEvent(event), {
          msgID: event.id,
          expect: { lastSubjectSequence: revision },
        });
        revision = ack.seq;
      } catch (e) {
        if (isWrongLastSequence(e)) throw new ConcurrencyError(subject, revision);
        throw e;
      }
    }
    return revision;
  }
}

export function isNotFound(e: unknown): boolean {
  const err = e as NatsError & { api_error?: { err_code?: number } };
  return err?.api_error?.err_code === 10037 || /no message found/i.test(String(err?.message));
}

export function isWrongLastSequence(e: unknown): boolean {
  const err = e as NatsError & { api_error?: { err_code?: number } };
  return err?.api_error?.err_code === 10071 || /wrong last sequence/i.test(String(err?.message));
}

/**
 * Publishes `event` only as the first message on `subject` (expected last subject sequence 0), with its
 * id as message id. False when the subject has a message already: this one, stored before (a duplicate
 * within the stream's window), or another, also after that window.
 */
export async function publishFirst(js: JetStreamClient, subject: string, event: EventEnvelope): Promise<boolean> {
  try {
    const ack = await js.publish(subject, encodeEvent(event), { msgID: event.id, expect: { lastSubjectSequence: 0 } });
    return !ack.duplicate;
  } catch (e) {
    if (isWrongLastSequence(e)) return false;
    throw e;
  }
}

export type { JsMsg };
