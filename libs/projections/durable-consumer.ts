import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamClient, JetStreamManager, JsMsg, nanos } from 'nats';
import { Logger } from 'pino';
import { decodeJson } from '../event-store/codec';
import { PoisonMessageError, settle } from './settlement';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubjects: string[];
  /** 1 makes processing strictly sequential across every instance sharing the durable. */
  maxAckPending?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
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
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly spec: DurableConsumerSpec,
    private readonly log: Logger,
  ) {}

  async start(handler: (delivery: Delivery<E>) => Promise<void>): Promise<void> {
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
    this.messages = await consumer.consume({ max_messages: Math.min(this.spec.maxAckPending ?? 100, 100) });
    const maxDeliver = this.spec.maxDeliver ?? 10;
    this.loop = (async () => {
      for await (const msg of this.messages!) {
        let error: unknown;
        try {
          let event: E;
          try {
            event = decodeJson<E>(msg.data);
          } catch (e) {
            throw new PoisonMessageError(`undecodable message: ${(e as Error).message}`);
          }
          await handler({ event, seq: msg.seq, subject: msg.subject, msg });
        } catch (e) {
          error = e;
        }
        settle(msg, error, maxDeliver, this.log);
      }
    })();
  }

  /** Stops pulling; the message being handled finishes and is settled first. */
  async stop(): Promise<void> {
    this.messages?.stop();
    await this.loop;
  }
}
