import { setTimeout as delay } from 'node:timers/promises';
import { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import { Logger } from 'pino';

/** How long a pull for the first message of a quiet consumer stays open before it is renewed. */
const FIRST_MESSAGE_PULL_MS = 5_000;

/** Where a durable consumer's messages come from: one at a time, or in bursts. */
export interface MessageSource {
  arrivals(): AsyncIterable<JsMsg[]>;
  stop(): void;
}

/**
 * Pulls a durable consumer's messages in bursts, for consumers that may lag a little (read models,
 * bookkeeping). `consume()` keeps a pull open, so the server sends each message as it is stored and
 * wakes the process for each; on a shared host those wake-ups land at the very moments the dialer
 * needs the cores (a call's events reach every consumer at once). Here messages wait on the server
 * and come in one reply every `intervalMs` while they keep coming; once a pull finds none, a single
 * open pull waits for the next one, so a quiet consumer costs one request every few seconds.
 */
export class BurstPull implements MessageSource {
  private readonly stopping = new AbortController();
  private firstPull?: ConsumerMessages;

  constructor(
    private readonly js: JetStreamClient,
    private readonly consumer: Consumer,
    private readonly names: { stream: string; durable: string },
    private readonly options: { intervalMs: number; maxBurst: number },
    private readonly log: Logger,
  ) {}

  stop(): void {
    this.stopping.abort();
    this.firstPull?.stop();
  }

  async *arrivals(): AsyncIterable<JsMsg[]> {
    let quiet = true;
    while (!this.stopping.signal.aborted) {
      const first: JsMsg | undefined = quiet ? await this.firstMessage() : undefined;
      if (quiet && !first) continue;
      if (!(await this.pause())) {
        first?.nak(); // stopped while holding it: straight back to the others
        return;
      }
      const burst: JsMsg[] = [...(first ? [first] : []), ...(await this.waiting(this.options.maxBurst - (first ? 1 : 0)))];
      quiet = burst.length === 0;
      if (!quiet) yield burst;
    }
  }

  /** The next message, or undefined when the pull expired or the consumer stopped. */
  private async firstMessage(): Promise<JsMsg | undefined> {
    try {
      this.firstPull = await this.consumer.fetch({ max_messages: 1, expires: FIRST_MESSAGE_PULL_MS });
      if (this.stopping.signal.aborted) this.firstPull.stop();
      for await (const msg of this.firstPull) return msg;
    } catch (e) {
      if (!this.stopping.signal.aborted) await this.afterError(e);
    }
    return undefined;
  }

  /** What is waiting on the server now, without waiting for more (`no_wait`). */
  private async waiting(max: number): Promise<JsMsg[]> {
    const burst: JsMsg[] = [];
    if (max <= 0) return burst;
    try {
      // The deprecated client-level fetch is the one that offers no_wait; Consumer.fetch always waits.
      for await (const msg of this.js.fetch(this.names.stream, this.names.durable, { batch: max, no_wait: true })) burst.push(msg);
    } catch (e) {
      // E.g. 409 when max ack pending is reached: what came is kept, the rest comes in a later burst.
      this.log.debug({ err: e, ...this.names }, 'burst pull ended early');
    }
    return burst;
  }

  /** Waits one interval; false when the consumer stopped meanwhile. */
  private async pause(): Promise<boolean> {
    try {
      await delay(this.options.intervalMs, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  private async afterError(e: unknown): Promise<void> {
    this.log.warn({ err: e, ...this.names }, 'pull failed; trying again in a second');
    await delay(1_000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
