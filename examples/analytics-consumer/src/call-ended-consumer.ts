// A durable pull consumer of every CallEnded on the CALLS stream, as contracts/README.md describes it:
// filter `call.*.*.ended`, explicit acks, deliver all. Each message is acked only after it is recorded,
// so a crash redelivers it; the store makes that harmless.
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamManager, JsMsg, NatsConnection, nanos } from 'nats';
import { Logger } from 'pino';
import { parseCallEnded } from './call-ended';
import { OutcomeStore } from './outcome-store';

export interface ConsumerSettings {
  /** NATS_NAMESPACE of the platform: prefixes subjects (`<ns>.`) and stream names (`<ns>_`); empty in production. */
  namespace: string;
  durableName: string;
  /** Delay before a message whose recording failed is delivered again (default 2 s). */
  retryDelayMs?: number;
}

export class CallEndedConsumer {
  private messages?: ConsumerMessages;
  private done?: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly store: OutcomeStore,
    private readonly settings: ConsumerSettings,
    private readonly log: Logger,
  ) {}

  get stream(): string {
    const ns = this.settings.namespace;
    return ns ? `${ns.replace(/[^A-Za-z0-9_-]/g, '_')}_CALLS` : 'CALLS';
  }

  get filterSubject(): string {
    const ns = this.settings.namespace;
    return `${ns ? `${ns}.` : ''}call.*.*.ended`;
  }

  async start(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await this.ensureConsumer(jsm);
    const consumer = await this.nc.jetstream().consumers.get(this.stream, this.settings.durableName);
    this.messages = await consumer.consume({ max_messages: 100 });
    this.done = (async () => {
      for await (const msg of this.messages!) await this.handle(msg);
    })();
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.done;
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    try {
      await jsm.consumers.info(this.stream, this.settings.durableName);
    } catch {
      await jsm.consumers.add(this.stream, {
        durable_name: this.settings.durableName,
        filter_subject: this.filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(30_000),
      });
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    const parsed = parseCallEnded(msg.data);
    if (parsed.kind !== 'ended') {
      // Unknown types and versions are skipped by contract; a malformed message would never get better.
      if (parsed.kind === 'skip') return msg.ack();
      this.log.warn({ subject: msg.subject, seq: msg.seq, why: parsed.why }, 'malformed CallEnded dropped');
      return msg.term();
    }
    try {
      const isNew = await this.store.record(parsed.call);
      this.log.debug({ callId: parsed.call.callId, outcome: parsed.call.outcome, isNew, redelivered: msg.redelivered }, 'call end recorded');
      msg.ack();
    } catch (e) {
      this.log.error({ err: e, subject: msg.subject }, 'could not record a call end; it will be redelivered');
      msg.nak(this.settings.retryDelayMs ?? 2_000);
    }
  }
}
