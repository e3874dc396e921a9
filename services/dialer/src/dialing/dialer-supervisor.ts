import { randomBytes } from 'crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { Logger } from 'pino';
import { CampaignRuntime, ClientRuntime } from '@contracts/dialing/runtime';
import { isNotFound } from '@libs/event-store/jetstream-event-store';
import { getJson } from '@libs/nats/kv';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, LOGGER, NATS } from '@libs/nest/tokens';
import { DialerConfig } from '../config';
import { PlivoCallsClient } from '../plivo/plivo-calls.client';
import { KvMirror } from '../runtime/runtime-view';
import { KvSlotLedger } from '../slots/kv-slot-ledger';
import { BotWarmup, HttpBotWarmup, noWarmup } from '../warmup/bot-warmup';
import { CallEventsPublisher } from './call-events.publisher';
import { CallPlacer } from './call-placer';
import { CampaignDialer } from './campaign-dialer';
import { DoNotCall } from './do-not-call';
import { Pacer } from './pacer';

/** How long after its pacer admission a Call API request may still be sent (see CallPlacerDeps). */
const ADMISSION_USE_WITHIN_MS = 1_000;

/**
 * Follows the campaign runtime KV and runs a CampaignDialer for every running campaign; a campaign
 * that stops running has its dialer stopped at once.
 */
@Injectable()
export class DialerSupervisor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly dialers = new Map<string, CampaignDialer>();
  private readonly campaigns: KvMirror<CampaignRuntime>;
  private readonly clients: KvMirror<ClientRuntime>;
  private readonly plivo: PlivoCallsClient;
  private readonly pacer: Pacer;
  private readonly events: CallEventsPublisher;
  private readonly placer: CallPlacer;
  private stopping = false;
  /** Makes this process's slot holder ids unique (see slot-ledger.ts). */
  private readonly holderToken = randomBytes(4).toString('hex');

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: DialerConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly ledger: KvSlotLedger,
  ) {
    this.campaigns = new KvMirror(nats.buckets.campaignRuntime);
    this.clients = new KvMirror(nats.buckets.clientRuntime);
    this.plivo = new PlivoCallsClient(config.PLIVO_API_URL, config.PLIVO_AUTH_ID, config.PLIVO_AUTH_TOKEN, config.PLIVO_REQUEST_TIMEOUT_MS);
    // An admission whose answer is never recorded (its dialer died) counts until its request must have
    // reached Plivo: sent within ADMISSION_USE_WITHIN_MS, cut off by the request timeout, plus a margin.
    this.pacer = new Pacer(nats.buckets.slots, 'pacer', {
      cps: config.PLIVO_MAX_CPS,
      inFlightExpiryMs: config.PLIVO_REQUEST_TIMEOUT_MS + 2 * ADMISSION_USE_WITHIN_MS,
    });
    this.events = new CallEventsPublisher(nats.js, nats.subjects);
    this.placer = new CallPlacer({
      warmup: botWarmup(config),
      pacer: this.pacer,
      plivo: this.plivo,
      events: this.events,
      ledger,
      statusNow: (id) => this.statusNow(id),
      doNotCall: new DoNotCall(nats.buckets.dnc, nats.js, nats.subjects),
      hasEnded: (job, callId) => this.hasEnded(job.campaignId, callId),
      admissionUseWithinMs: ADMISSION_USE_WITHIN_MS,
      leaseMs: config.CALL_TIMEOUT_MINUTES * 60_000,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      log,
    });
  }

  private async hasEnded(campaignId: string, callId: string): Promise<boolean> {
    const { jsm, subjects } = this.nats;
    try {
      await jsm.streams.getMessage(subjects.streams.calls, { last_by_subj: subjects.callEvent(campaignId, callId, 'ended') });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private async statusNow(campaignId: string): Promise<string | undefined> {
    return (await getJson<CampaignRuntime>(this.nats.buckets.campaignRuntime, campaignId))?.status;
  }

  async onApplicationBootstrap() {
    await this.ledger.start();
    await this.pacer.start();
    await this.clients.start(() => undefined);
    await this.campaigns.start((campaignId, runtime) => void this.reconcile(campaignId, runtime));
  }

  async onModuleDestroy() {
    this.stopping = true;
    await Promise.all([...this.dialers.values()].map((d) => d.stop()));
    this.campaigns.stop();
    this.clients.stop();
    this.ledger.stop();
    await this.pacer.stop();
  }

  campaignRuntime(campaignId: string): CampaignRuntime | undefined {
    return this.campaigns.get(campaignId);
  }

  clientLimit(clientId: string): number {
    return this.clients.get(clientId)?.maxConcurrentCalls ?? this.config.DEFAULT_CLIENT_MAX_CALLS;
  }

  private async reconcile(campaignId: string, runtime: CampaignRuntime | undefined): Promise<void> {
    const current = this.dialers.get(campaignId);
    if (runtime?.status === 'running' && !this.stopping) {
      if (current) return;
      const dialer = await this.createDialer(campaignId);
      this.dialers.set(campaignId, dialer);
      dialer.start();
      this.log.info({ campaignId }, 'dialling campaign');
    } else if (current) {
      this.dialers.delete(campaignId);
      await current.stop();
      this.log.info({ campaignId, status: runtime?.status }, 'stopped dialling campaign');
    }
  }

  private async createDialer(campaignId: string): Promise<CampaignDialer> {
    const { js, jsm, subjects } = this.nats;
    const durable = `dialer-${campaignId}`;
    const consumerConfig = {
      durable_name: durable,
      filter_subject: subjects.dialQueue(campaignId),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.config.DIAL_ACK_WAIT_MS),
      max_ack_pending: 10_000,
    };
    await jsm.consumers.add(subjects.streams.dial, consumerConfig).catch(async (e) => {
      if (!/already exists|in use/i.test(String(e?.message))) throw e;
      await jsm.consumers.update(subjects.streams.dial, durable, { ack_wait: consumerConfig.ack_wait });
    });
    return new CampaignDialer(campaignId, {
      consumer: await js.consumers.get(subjects.streams.dial, durable),
      ledger: this.ledger,
      placer: this.placer,
      campaign: (id) => this.campaigns.get(id),
      clientLimit: (clientId) => this.clientLimit(clientId),
      globalLimit: this.config.GLOBAL_MAX_CALLS,
      leaseMs: this.config.CALL_TIMEOUT_MINUTES * 60_000,
      lanes: this.config.DIALER_LANES_PER_CAMPAIGN,
      readyJobs: this.config.DIALER_READY_JOBS_PER_CAMPAIGN,
      holderToken: this.holderToken,
      log: this.log,
    });
  }
}

function botWarmup(config: DialerConfig): BotWarmup {
  if (!config.BOT_WARMUP_URL) return noWarmup;
  return new HttpBotWarmup(config.BOT_WARMUP_URL, {
    tries: config.BOT_WARMUP_RETRIES,
    timeoutMs: config.BOT_WARMUP_TIMEOUT,
    backoffMs: config.BOT_WARMUP_BACKOFF_MS,
    maxBackoffMs: 30_000,
  });
}
