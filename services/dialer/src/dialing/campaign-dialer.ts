import { Consumer, JsMsg } from 'nats';
import { Logger } from 'pino';
import { NOT_DIALLED_CAMPAIGN_NOT_RUNNING } from '@contracts/calls/events';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { maskPhone } from '@libs/logging/logger';
import { PlivoApiError, PlivoCallsClient } from '../plivo/plivo-calls.client';
import { SlotLedger, SlotScope, scopeKeys } from '../slots/slot-ledger';
import { CallEventsPublisher } from './call-events.publisher';
import { Pacer } from './pacer';
import { pickFromNumber, webhookUrls } from './webhook-urls';

export interface CampaignDialerDeps {
  consumer: Consumer;
  ledger: SlotLedger;
  pacer: Pacer;
  plivo: PlivoCallsClient;
  events: CallEventsPublisher;
  campaign: (campaignId: string) => CampaignRuntime | undefined;
  /** The campaign's status read from the bucket now, not from the watched mirror. */
  statusNow: (campaignId: string) => Promise<string | undefined>;
  clientLimit: (clientId: string) => number;
  globalLimit: number;
  leaseMs: number;
  publicBaseUrl: string;
  lanes: number;
  log: Logger;
}

const PLIVO_RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000];

/**
 * Dials one running campaign from its work queue. Each lane holds at most one job: it waits for a
 * slot in all three scopes (woken by any slot change, never sleeping on a timer), claims the attempt,
 * acknowledges the job, paces, and sends the Call API request. Slots are given back when the call ends.
 */
export class CampaignDialer {
  private running = false;
  private lanes: Promise<void>[] = [];

  constructor(
    readonly campaignId: string,
    private readonly deps: CampaignDialerDeps,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lanes = Array.from({ length: this.deps.lanes }, () => this.lane());
  }

  /** Stops taking jobs; a job in hand is either finished (already claimed) or handed back. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
  }

  private async lane(): Promise<void> {
    while (this.running) {
      let msg: JsMsg | null = null;
      try {
        msg = await this.deps.consumer.next({ expires: 2_000 });
        if (msg) await this.dial(msg);
      } catch (e) {
        this.deps.log.error({ err: e, campaignId: this.campaignId }, 'dial lane error');
        msg?.nak(1_000);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async dial(msg: JsMsg): Promise<void> {
    const { ledger, log } = this.deps;
    const job = JSON.parse(new TextDecoder().decode(msg.data)) as DialJob;
    const callId = callIdOf(job.contactId, job.attempt);
    let campaign: CampaignRuntime | undefined;
    let scopes: SlotScope[];
    for (;;) {
      campaign = this.deps.campaign(job.campaignId);
      if (!this.running || campaign?.status !== 'running') {
        msg.nak();
        return;
      }
      scopes = this.scopes(campaign, job.clientId);
      const result = await ledger.acquire(scopes, callId, this.deps.leaseMs);
      if (result.outcome === 'acquired') {
        // The mirror may lag a pause by milliseconds; the bucket itself is written before a pause is acknowledged.
        if ((await this.deps.statusNow(job.campaignId)) !== 'running') {
          await ledger.release(result.added, callId);
          msg.nak(200);
          return;
        }
        const from = pickFromNumber(campaign.fromNumber, campaign.fromNumbers, msg.info.streamSequence);
        if (!(await this.deps.events.claim(job, callId, from))) {
          log.warn({ callId }, 'attempt already claimed by another dialer; skipping');
          await ledger.release(result.added, callId);
          msg.ack();
          return;
        }
        msg.ack();
        await this.request(job, callId, from, campaign);
        return;
      }
      msg.working();
      await ledger.changed(1_000);
    }
  }

  private scopes(campaign: CampaignRuntime, clientId: string): SlotScope[] {
    return [
      { key: scopeKeys.campaign(campaign.campaignId), limit: campaign.settings.concurrentCallsLimit },
      { key: scopeKeys.client(clientId), limit: this.deps.clientLimit(clientId) },
      { key: scopeKeys.global, limit: this.deps.globalLimit },
    ];
  }

  private async request(job: DialJob, callId: string, from: string, campaign: CampaignRuntime): Promise<void> {
    const urls = webhookUrls(this.deps.publicBaseUrl, job.campaignId, callId);
    const { settings } = campaign;
    const machineDetection = settings.machineDetection && settings.machineDetection !== 'false' ? settings.machineDetection : undefined;
    for (let attempt = 0; ; attempt++) {
      await this.deps.pacer.take();
      // Fence, read from the bucket right before the request leaves: a pause or cancel acknowledged
      // since the claim wins, and the claimed attempt is handed back without a call.
      if ((await this.deps.statusNow(job.campaignId)) !== 'running') {
        await this.deps.events.failed(job, callId, NOT_DIALLED_CAMPAIGN_NOT_RUNNING, 'cancelled');
        return;
      }
      try {
        const { requestUuid } = await this.deps.plivo.createCall({
          from,
          to: job.phoneNumber,
          answer_url: urls.answer,
          answer_method: 'POST',
          ring_url: urls.ring,
          hangup_url: urls.hangup,
          ...(machineDetection ? { machine_detection: machineDetection, machine_detection_url: urls.machine } : {}),
          ...(settings.ringTimeoutSeconds ? { ring_timeout: settings.ringTimeoutSeconds } : {}),
          ...(settings.timeLimitSeconds ? { time_limit: settings.timeLimitSeconds } : {}),
        });
        await this.deps.events.initiated(job, callId, requestUuid);
        return;
      } catch (e) {
        // Only an answer from Plivo proves the call was not placed; a network error may hide a placed call.
        const retry = e instanceof PlivoApiError && e.retryable && attempt < PLIVO_RETRY_DELAYS_MS.length;
        if (retry) {
          await new Promise((r) => setTimeout(r, PLIVO_RETRY_DELAYS_MS[attempt]));
          continue;
        }
        this.deps.log.warn({ err: e, callId, to: maskPhone(job.phoneNumber) }, 'call request failed');
        await this.deps.events.failed(job, callId, e instanceof PlivoApiError ? `plivo_${e.status}` : 'plivo_unreachable');
        return;
      }
    }
  }
}
