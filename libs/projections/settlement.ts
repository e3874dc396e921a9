import { JsMsg } from 'nats';
import { Logger } from 'pino';

/** Redelivery delays after a failed handling: quick first, then backing off (ms). */
const BACKOFF_MS = [200, 1_000, 5_000, 15_000, 30_000];

/**
 * The one place that decides what happens to a message after its handler ran: ack on success;
 * nak with a growing delay on failure; after `maxDeliver` tries, term it and log it as dead-lettered
 * (a poison message must not block the consumer forever).
 */
export function settle(msg: JsMsg, error: unknown, maxDeliver: number, log: Logger): void {
  if (!error) {
    msg.ack();
    return;
  }
  const tries = msg.info.redeliveryCount;
  if ((tries >= maxDeliver && !isTransient(error)) || error instanceof PoisonMessageError) {
    log.error({ err: error, subject: msg.subject, seq: msg.seq, tries }, 'message dead-lettered');
    msg.term(String((error as Error)?.message ?? error));
    return;
  }
  if (isTransient(error)) {
    // Lock contention clears in milliseconds: retry soon, without climbing the backoff ladder.
    log.debug({ err: error, subject: msg.subject, seq: msg.seq, tries }, 'transient failure; retrying');
    msg.nak(50 + Math.floor(Math.random() * 100));
    return;
  }
  log.warn({ err: error, subject: msg.subject, seq: msg.seq, tries }, 'message handling failed; will retry');
  msg.nak(BACKOFF_MS[Math.min(tries - 1, BACKOFF_MS.length - 1)]);
}

function isTransient(error: unknown): boolean {
  return /database is locked|SQLITE_BUSY|write conflict/i.test(String((error as Error)?.message));
}

/** Thrown by a handler for a message that can never succeed (bad payload). */
export class PoisonMessageError extends Error {}
