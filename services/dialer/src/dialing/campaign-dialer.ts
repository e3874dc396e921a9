import { Consumer, JsMsg } from 'nats';
import { Logger } from 'pino';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { SlotLedger, SlotScope, scopeKeys } from '../slots/slot-ledger';
import { CallEventsPublisher } from './call-events.publisher';
import { CallPlacer } from './call-placer';
import { DoNotCall } from './do-not-call';
import { pickFromNumber } from './webhook-urls';

export interface CampaignDialerDeps {
  consumer: Consumer;
  ledger: SlotLedger;
  placer: CallPlacer;
  events: CallEventsPublisher;
  campaign: (campaignId: string) => CampaignRuntime | undefined;
  /** The campaign's status read from the bucket now, not from the watched mirror. */
  statusNow: (campaignId: string) => Promise<string | undefined>;
  clientLimit: (clientId: string) => number;
  globalLimit: number;
  leaseMs: number;
  lanes: number;
  log: Logger;
  /** Numbers on the client's do-not-call list are skipped, never dialled. */
  doNotCall?: DoNotCall;
}

/**
 * Dials one running campaign from its work queue. Each lane holds at most one job: it waits for a
 * slot in all three scopes (woken by any slot change, never sleeping on a timer), claims the attempt,
 * acknowledges the job and hands it to the CallPlacer. Slots are given back when the call ends.
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
      // Checked before every try for slots: a number listed while its job waits is not dialled either.
      if (await this.deps.doNotCall?.skipIfListed(job, callId)) {
        msg.ack();
        return;
      }
      const result = await ledger.acquire(scopes, callId, this.deps.leaseMs);
      if (result.outcome === 'acquired') {
        // The mirror may lag a pause by milliseconds; the bucket itself is written before a pause is acknowledged.
        if ((await this.deps.statusNow(job.campaignId)) !== 'running') {
          await ledger.release(result.added, callId);
          msg.nak(200);
          return;
        }
        // The consumer's delivery sequence counts this campaign's deliveries across every dialer.
        const from = pickFromNumber(campaign.fromNumber, campaign.fromNumbers, msg.info.deliverySequence);
        if (!(await this.deps.events.claim(job, callId, from))) {
          log.warn({ callId }, 'attempt already claimed by another dialer; skipping');
          await ledger.release(result.added, callId);
          msg.ack();
          return;
        }
        msg.ack();
        await this.deps.placer.place({ job, callId, from, campaign, scopeKeys: scopes.map((s) => s.key) });
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
}
