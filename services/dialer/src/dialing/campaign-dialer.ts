import { setMaxListeners } from 'events';
import { Consumer, JsMsg } from 'nats';
import { Logger } from 'pino';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { holderOf, SlotLedger, SlotScope, scopeKeys } from '../slots/slot-ledger';
import { CallPlacer } from './call-placer';
import { DoNotCall } from './do-not-call';
import { pickFromNumber } from './webhook-urls';

export interface CampaignDialerDeps {
  consumer: Consumer;
  ledger: SlotLedger;
  placer: CallPlacer;
  campaign: (campaignId: string) => CampaignRuntime | undefined;
  /** The campaign's status read from the bucket now, not from the watched mirror. */
  statusNow: (campaignId: string) => Promise<string | undefined>;
  clientLimit: (clientId: string) => number;
  globalLimit: number;
  leaseMs: number;
  lanes: number;
  /** Unique per dialer process: with a counter it makes this dialer's slot holder ids. */
  holderToken: string;
  log: Logger;
  /** Numbers on the client's do-not-call list are skipped, never dialled. */
  doNotCall?: DoNotCall;
}

/**
 * Dials one running campaign from its work queue. Each lane holds at most one job: it waits for a
 * slot in all three scopes (woken by any slot change, never sleeping on a timer), then hands the job
 * to the CallPlacer, which claims, acknowledges and calls. Slots are given back when the call ends.
 */
export class CampaignDialer {
  private running = false;
  private lanes: Promise<void>[] = [];
  /** Aborted on stop: attempts still waiting (warm-up, pacing, retry backoff) are given or handed back. */
  private stopping = new AbortController();
  private holds = 0;
  /** Stream sequences of the jobs this dialer's lanes hold while waiting for slots. */
  private readonly waiting = new Set<number>();
  /** Lanes that saw room and are taking a job now. */
  private gated = 0;
  private givenBackOnStop = 0;

  constructor(
    readonly campaignId: string,
    private readonly deps: CampaignDialerDeps,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    // Every lane waiting (warm-up, pacer, backoff) listens to it: many listeners are expected, not a leak.
    setMaxListeners(4 * this.deps.lanes + 10, this.stopping.signal);
    this.lanes = Array.from({ length: this.deps.lanes }, () => this.lane());
  }

  /** Stops taking jobs; a request already sent is finished, everything else is handed back. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.all(this.lanes);
    if (this.givenBackOnStop > 0) {
      this.deps.log.warn({ campaignId: this.campaignId, givenBack: this.givenBackOnStop }, 'stopped with jobs in hand: given back to the queue');
    }
  }

  private async lane(): Promise<void> {
    while (this.running) {
      let msg: JsMsg | null = null;
      try {
        if (!(await this.roomForOneMore())) continue;
        let gated = true;
        const ungate = () => {
          if (gated) this.gated--;
          gated = false;
        };
        this.gated++;
        try {
          msg = await this.deps.consumer.next({ expires: 2_000 });
          if (msg) await this.dial(msg, ungate);
        } finally {
          ungate();
        }
      } catch (e) {
        this.deps.log.error({ err: e, campaignId: this.campaignId }, 'dial lane error');
        msg?.nak(1_000);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * A lane takes a job only when this dialer sees a free slot in every scope that no other lane of
   * it is already after; otherwise it waits for the next slot change. Idle lanes then cost nothing,
   * and jobs are not held by lanes that could only wait.
   */
  private async roomForOneMore(): Promise<boolean> {
    const campaign = this.deps.campaign(this.campaignId);
    if (campaign?.status === 'running' && this.deps.ledger.freeSlots(this.scopes(campaign, campaign.clientId)) > this.gated) return true;
    await this.deps.ledger.changed(1_000);
    return false;
  }

  /** `tookSlotsOrWaits` is called once this job's first try for slots is over. */
  private async dial(msg: JsMsg, tookSlotsOrWaits: () => void): Promise<void> {
    const { ledger } = this.deps;
    const job = JSON.parse(new TextDecoder().decode(msg.data)) as DialJob;
    const callId = callIdOf(job.contactId, job.attempt);
    const holder = holderOf(callId, `${this.deps.holderToken}.${++this.holds}`);
    let campaign: CampaignRuntime | undefined;
    let scopes: SlotScope[];
    let lastWorking = Date.now();
    const seq = msg.info.streamSequence;
    this.waiting.add(seq);
    try {
      await this.dialInTurn(msg, job, callId, holder, seq, tookSlotsOrWaits, lastWorking);
    } finally {
      this.waiting.delete(seq);
    }
  }

  private hasEarlierWaiting(seq: number): boolean {
    for (const other of this.waiting) if (other < seq) return true;
    return false;
  }

  private async dialInTurn(
    msg: JsMsg,
    job: DialJob,
    callId: string,
    holder: string,
    seq: number,
    tookSlotsOrWaits: () => void,
    lastWorking: number,
  ): Promise<void> {
    const { ledger } = this.deps;
    let campaign: CampaignRuntime | undefined;
    let scopes: SlotScope[];
    for (;;) {
      campaign = this.deps.campaign(job.campaignId);
      if (!this.running || campaign?.status !== 'running') {
        this.giveBack(msg);
        return;
      }
      scopes = this.scopes(campaign, job.clientId);
      // Checked before every try for slots: a number listed while its job waits is not dialled either.
      if (await this.deps.doNotCall?.skipIfListed(job, callId)) {
        msg.ack();
        return;
      }
      // Jobs of this dialer take free slots in queue order (fifo or priority, as fed); a later job waits its turn.
      const result = this.hasEarlierWaiting(seq) ? { outcome: 'waiting' as const } : await ledger.acquire(scopes, holder, this.deps.leaseMs);
      tookSlotsOrWaits();
      if (result.outcome === 'acquired') {
        this.waiting.delete(seq);
        const scopeKeys = scopes.map((s) => s.key);
        // The mirror may lag a pause by milliseconds; the bucket itself is written before a pause is acknowledged.
        if ((await this.deps.statusNow(job.campaignId)) !== 'running') {
          await ledger.release(scopeKeys, holder);
          msg.nak(200);
          return;
        }
        // The consumer's delivery sequence counts this campaign's deliveries across every dialer.
        const from = pickFromNumber(campaign.fromNumber, campaign.fromNumbers, msg.info.deliverySequence);
        await this.deps.placer.place(
          { job, callId, from, campaign, holder, scopeKeys, acquiredAt: Date.now() },
          { keepAlive: () => msg.working(), ack: () => msg.ack(), giveBack: () => this.giveBack(msg) },
          this.stopping.signal,
        );
        return;
      }
      if (Date.now() - lastWorking >= 1_000) {
        msg.working();
        lastWorking = Date.now();
      }
      await ledger.changed(1_000);
    }
  }

  private giveBack(msg: JsMsg): void {
    if (!this.running) this.givenBackOnStop++;
    msg.nak();
  }

  private scopes(campaign: CampaignRuntime, clientId: string): SlotScope[] {
    return [
      { key: scopeKeys.campaign(campaign.campaignId), limit: campaign.settings.concurrentCallsLimit },
      { key: scopeKeys.client(clientId), limit: this.deps.clientLimit(clientId) },
      { key: scopeKeys.global, limit: this.deps.globalLimit },
    ];
  }
}
