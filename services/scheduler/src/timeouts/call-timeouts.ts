import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallEnded, CallRequested } from '@contracts/calls/events';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { SchedulerConfig } from '../config';
import { OpenCalls } from './open-calls';
import { publishTimeoutEnd } from './timeout-end';

/** Calls stay open for minutes: the list may lag a moment, for far fewer writes and wake-ups. */
const OPEN_CALLS_BURST_MS = 250;

/**
 * A call with no final callback within CALL_TIMEOUT_MINUTES ends as `timeout`. Its CallEnded is stored
 * only if the call has no end yet (see publishTimeoutEnd), so a real hangup and a timeout never both count.
 */
@Injectable()
export class CallTimeouts implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallRequested | CallEnded>;
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly open: OpenCalls,
  ) {}

  async onApplicationBootstrap() {
    await this.open.ensureIndexes();
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      {
        stream: subjects.streams.calls,
        durable: 'scheduler-call-timeouts',
        filterSubjects: [subjects.callEventsOfKind('requested'), subjects.callEventsOfKind('ended')],
        maxAckPending: 500,
        burstIntervalMs: OPEN_CALLS_BURST_MS,
      },
      this.log,
    );
    await this.consumer.startBatches((deliveries) => this.open.applyAll(deliveries.map((d) => d.event)));
    this.timer = setInterval(() => void this.sweep(), this.config.TIMEOUT_SWEEP_MS);
  }

  async onModuleDestroy() {
    clearInterval(this.timer);
    await this.consumer?.stop();
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const before = new Date(Date.now() - this.config.CALL_TIMEOUT_MINUTES * 60_000);
      for (const { call } of await this.open.overdue(before)) {
        await this.publishTimeout(call);
        await this.open.closed(call.data.callId);
      }
    } catch (e) {
      this.log.error({ err: e }, 'timeout sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  private async publishTimeout(call: CallRequested): Promise<void> {
    const { callId, campaignId } = call.data;
    if (await publishTimeoutEnd(this.nats.js, this.nats.subjects, call)) this.log.warn({ callId, campaignId }, 'call timed out');
    else this.log.info({ callId, campaignId }, 'call past its timeout had ended already');
  }
}
