import { AckPolicy, DeliverPolicy, JetStreamClient, JetStreamManager, JsMsg, nanos } from 'nats';
import { Logger } from 'pino';
import { decodeJson } from '../event-store/codec';
import { GroupCommit } from '../concurrency/group-commit';
import { BurstPull, MessageSource } from './burst-pull';
import { PoisonMessageError, settle } from './settlement';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubjects: string[];
  /** 1 makes processing strictly sequential across every instance sharing the durable. */
  maxAckPending?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
  /**
   * Messages handled at once by this instance. Above 1 only for handlers that are order-tolerant
   * (their writes commute), since messages then finish out of order.
   */
  concurrency?: number;
  /**
   * Messages with the same key are handled one after another, in stream order, even with
   * concurrency above 1 (e.g. every event of one call). FerretDB does not make conditional updates of
   * one document atomic against each other, so writers of one document must never overlap.
   */
  partitionKey?: (subject: string) => string;
  /**
   * Pull in bursts (BurstPull): messages wait on the server and come together at most this often while
   * they keep coming, instead of each as it is stored. For consumers that may lag by that much; it
   * spares the process a wake-up per message at the moments a call's events reach every consumer.
   */
  burstIntervalMs?: number;
}

export interface BatchOptions<E> {
  /**
   * How long a batch waits after its first message for more (GroupCommit's linger): fewer, larger
   * database writes, for a read model that may lag by that much. Keep it well under the ack wait.
   */
  lingerMs?: number;
  /** Sees each message as it arrives, before it waits for its batch (e.g. to fill a cache at once). */
  onArrival?: (delivery: Delivery<E>) => void;
}

export interface Delivery<E> {
  event: E;
  seq: number;
  subject: string;
  msg: JsMsg;
}

/**
 * A durable pull consumer with explicit acks: all instances of a service share it (work is spread,
 * a dead instance's unacked messages are redelivered to the others after ack wait), and it resumes
 * where it stopped after a restart.
 */
export class DurableConsumer<E> {
  private source?: MessageSource;
  private loop?: Promise<void>;

  private readonly js: JetStreamClient;
  private readonly jsm: JetStreamManager;

  constructor(
    nats: { js: JetStreamClient; jsm: JetStreamManager },
    private readonly spec: DurableConsumerSpec,
    private readonly log: Logger,
  ) {
    this.js = nats.js;
    this.jsm = nats.jsm;
  }

  async start(handler: (delivery: Delivery<E>) => Promise<void>): Promise<void> {
    this.source = await this.subscribe();
    const maxDeliver = this.spec.maxDeliver ?? 10;
    const concurrency = this.spec.concurrency ?? 1;
    const inFlight = new Set<Promise<void>>();
    const lastOfKey = new Map<string, Promise<void>>();
    const schedule = (msg: JsMsg): Promise<void> => {
      const key = this.spec.partitionKey?.(msg.subject);
      if (key === undefined) return handle(msg);
      const task = (lastOfKey.get(key) ?? Promise.resolve()).then(() => handle(msg));
      lastOfKey.set(key, task);
      void task.then(() => {
        if (lastOfKey.get(key) === task) lastOfKey.delete(key);
      });
      return task;
    };
    const handle = async (msg: JsMsg) => {
      let error: unknown;
      try {
        await handler({ event: decode<E>(msg), seq: msg.seq, subject: msg.subject, msg });
      } catch (e) {
        error = e;
      }
      settle(msg, error, maxDeliver, this.log);
    };
    this.loop = (async () => {
      for await (const arrival of this.source!.arrivals()) {
        for (const msg of arrival) {
          const task = schedule(msg).finally(() => inFlight.delete(task));
          inFlight.add(task);
          if (inFlight.size >= concurrency) await Promise.race(inFlight);
        }
      }
      await Promise.all(inFlight);
    })();
  }

  /**
   * Batch mode: the messages that arrive while a batch is handled make up the next one (in stream
   * order), so a projection writes many events in one database round trip and acknowledges them
   * together. Batches run one at a time per instance. A batch that fails is retried one message at a
   * time, so one bad message fails alone; each message is settled on its own outcome.
   */
  async startBatches(handler: (deliveries: Delivery<E>[]) => Promise<void>, options: BatchOptions<E> = {}): Promise<void> {
    this.source = await this.subscribe();
    const maxDeliver = this.spec.maxDeliver ?? 10;
    // An arrival (one message, or one burst) is submitted whole, so a burst is never split across batches.
    const batches = new GroupCommit<Delivery<E>[], unknown[]>(async (arrivals) => {
      const deliveries = arrivals.flat();
      let errors: unknown[];
      try {
        await handler(deliveries);
        errors = deliveries.map(() => undefined);
      } catch (error) {
        if (deliveries.length === 1) errors = [error];
        else {
          errors = [];
          for (const delivery of deliveries) errors.push(await handler([delivery]).then(() => undefined, (e: unknown) => e));
        }
      }
      return arrivals.map((arrival) => errors.splice(0, arrival.length));
    }, { lingerMs: options.lingerMs });
    const inFlight = new Set<Promise<void>>();
    this.loop = (async () => {
      for await (const arrival of this.source!.arrivals()) {
        const deliveries: Delivery<E>[] = [];
        for (const msg of arrival) {
          try {
            deliveries.push({ event: decode<E>(msg), seq: msg.seq, subject: msg.subject, msg });
          } catch (error) {
            settle(msg, error, maxDeliver, this.log);
          }
        }
        if (deliveries.length === 0) continue;
        deliveries.forEach((delivery) => options.onArrival?.(delivery));
        const task: Promise<void> = batches
          .submit(deliveries)
          .then((errors) => deliveries.forEach(({ msg }, i) => settle(msg, errors[i], maxDeliver, this.log)))
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      await Promise.all(inFlight);
    })();
  }

  private async subscribe(): Promise<MessageSource> {
    const { stream, durable } = this.spec;
    const config = {
      durable_name: durable,
      filter_subjects: this.spec.filterSubjects,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: this.spec.maxAckPending ?? 1000,
      ack_wait: nanos(this.spec.ackWaitMs ?? 30_000),
      max_deliver: -1,
    };
    try {
      await this.jsm.consumers.add(stream, config);
    } catch (e) {
      if (!/already exists|in use/i.test(String((e as Error).message))) throw e;
      await this.jsm.consumers.update(stream, durable, config);
    }
    const consumer = await this.js.consumers.get(stream, durable);
    const { burstIntervalMs } = this.spec;
    if (burstIntervalMs) {
      return new BurstPull(this.js, consumer, { stream, durable }, { intervalMs: burstIntervalMs, maxBurst: Math.min(this.spec.maxAckPending ?? 1000, 1000) }, this.log);
    }
    const messages = await consumer.consume({ max_messages: Math.min(this.spec.maxAckPending ?? 100, 100) });
    return {
      async *arrivals() {
        for await (const msg of messages) yield [msg];
      },
      stop: () => messages.stop(),
    };
  }

  /** Stops pulling; the message being handled finishes and is settled first. */
  async stop(): Promise<void> {
    this.source?.stop();
    await this.loop;
  }
}

function decode<E>(msg: JsMsg): E {
  try {
    return decodeJson<E>(msg.data);
  } catch (e) {
    throw new PoisonMessageError(`undecodable message: ${(e as Error).message}`);
  }
}
