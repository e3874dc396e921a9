import { setMaxListeners } from 'events';
import { Consumer, JsMsg } from 'nats';
import { Logger } from 'pino';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { holderOf, SlotLedger, SlotScope, scopeKeys } from '../slots/slot-ledger';
import { CallPlacer, HeadStart } from './call-placer';
import { IdleLanes } from './idle-lanes';
import { pickFromNumber } from './webhook-urls';

export interface CampaignDialerDeps {
  consumer: Consumer;
  ledger: SlotLedger;
  placer: CallPlacer;
  campaign: (campaignId: string) => CampaignRuntime | undefined;
  clientLimit: (clientId: string) => number;
  globalLimit: number;
  leaseMs: number;
  lanes: number;
  /** Jobs held beyond the free slots, ready for the next slot freed (DIALER_READY_JOBS_PER_CAMPAIGN). */
  readyJobs: number;
  /** Unique per dialer process: with a counter it makes this dialer's slot holder ids. */
  holderToken: string;
  log: Logger;
}

/** How long a waiting job sleeps at most before it looks again (and tells the queue it is still worked on). */
const WAIT_MS = 1_000;

/**
 * Dials one running campaign from its work queue. Each lane holds at most one job: it waits for a
 * slot in all three scopes (woken by any slot change, never sleeping on a timer), then hands the job
 * to the CallPlacer, which checks, claims, acknowledges and calls. Slots are given back when the call
 * ends; a few jobs wait ready, so that a call ending here hands its slots straight to the next one.
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
  private readonly idleLanes = new IdleLanes();
  private stopListening?: () => void;

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
    this.stopListening = this.deps.ledger.onChange(() => this.idleLanes.release(this.room()));
    this.lanes = Array.from({ length: this.deps.lanes }, () => this.lane());
  }

  /** Stops taking jobs; a request already sent is finished, everything else is handed back. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.stopListening?.();
    this.idleLanes.releaseAll();
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
   * A lane takes a job when this dialer sees a free slot in every scope that no other lane of it is
   * already after, or when fewer than `readyJobs` jobs wait here for the next slot; otherwise it waits
   * until a slot change makes room (see IdleLanes). Idle lanes then cost nothing, and few jobs are held
   * by lanes that wait.
   */
  private async roomForOneMore(): Promise<boolean> {
    if (this.room() > 0) return true;
    await this.idleLanes.wait(WAIT_MS);
    return false;
  }

  /** How many more lanes may take a job now. */
  private room(): number {
    const campaign = this.deps.campaign(this.campaignId);
    if (!this.running || campaign?.status !== 'running') return 0;
    const free = this.deps.ledger.freeSlots(this.scopes(campaign, campaign.clientId));
    return free + this.deps.readyJobs - this.gated - this.waiting.size;
  }

  /** `tookSlotsOrWaits` is called once this job's first try for slots is over. */
  private async dial(msg: JsMsg, tookSlotsOrWaits: () => void): Promise<void> {
    const seq = msg.info.streamSequence;
    this.waiting.add(seq);
    try {
      await this.dialInTurn(msg, seq, tookSlotsOrWaits);
    } finally {
      this.stopWaiting(seq);
    }
  }

  /** The next job in line may try for slots now, without waiting for a slot change to wake it. */
  private stopWaiting(seq: number): void {
    if (this.waiting.delete(seq) && this.waiting.size > 0) this.deps.ledger.nudge();
  }

  private hasEarlierWaiting(seq: number): boolean {
    for (const other of this.waiting) if (other < seq) return true;
    return false;
  }

  private async dialInTurn(msg: JsMsg, seq: number, tookSlotsOrWaits: () => void): Promise<void> {
    const { ledger, leaseMs } = this.deps;
    const job = JSON.parse(new TextDecoder().decode(msg.data)) as DialJob;
    const callId = callIdOf(job.contactId, job.attempt);
    const holder = holderOf(callId, `${this.deps.holderToken}.${++this.holds}`);
    let lastWorking = Date.now();
    for (;;) {
      const campaign = this.deps.campaign(job.campaignId);
      if (!this.running || campaign?.status !== 'running') {
        this.giveBack(msg);
        return;
      }
      const scopes = this.scopes(campaign, job.clientId);
      // Jobs of this dialer take free slots in queue order (fifo or priority, as fed); a later job waits its
      // turn. Where this dialer sees no free slot, it waits for the next change instead of asking the bucket.
      const mayTry = !this.hasEarlierWaiting(seq) && ledger.freeSlots(scopes) > 0;
      const result = mayTry ? await ledger.acquire(scopes, holder, leaseMs) : { outcome: 'waiting' as const };
      tookSlotsOrWaits();
      if (result.outcome === 'acquired') return this.place(msg, job, callId, holder, campaign, scopes);
      if (Date.now() - lastWorking >= WAIT_MS) {
        msg.working();
        lastWorking = Date.now();
      }
      // A call ending in this dialer may hand this job its slots (lowest stream sequence first); the
      // placer gets a head start while that write is under way.
      let started: HeadStart | undefined;
      const onHandOver = () => (started = this.deps.placer.headStart(job));
      if ((await ledger.waitForChange(WAIT_MS, { scopes, holder, leaseMs, rank: seq, onHandOver })) === 'acquired') {
        return this.place(msg, job, callId, holder, campaign, scopes, started);
      }
      started?.discard();
    }
  }

  /** The job holds its slots: it is no longer waiting, and the placer takes it from here. */
  private place(msg: JsMsg, job: DialJob, callId: string, holder: string, campaign: CampaignRuntime, scopes: SlotScope[], started?: HeadStart): Promise<void> {
    this.stopWaiting(msg.info.streamSequence);
    // The consumer's delivery sequence counts this campaign's deliveries across every dialer.
    const from = pickFromNumber(campaign.fromNumber, campaign.fromNumbers, msg.info.deliverySequence);
    return this.deps.placer.place(
      { job, callId, from, campaign, holder, scopeKeys: scopes.map((s) => s.key), acquiredAt: Date.now() },
      { keepAlive: () => msg.working(), ack: () => msg.ack(), giveBack: (delayMs) => this.giveBack(msg, delayMs) },
      this.stopping.signal,
      started,
    );
  }

  private giveBack(msg: JsMsg, delayMs?: number): void {
    if (!this.running) this.givenBackOnStop++;
    msg.nak(delayMs);
  }

  private scopes(campaign: CampaignRuntime, clientId: string): SlotScope[] {
    return [
      { key: scopeKeys.campaign(campaign.campaignId), limit: campaign.settings.concurrentCallsLimit },
      { key: scopeKeys.client(clientId), limit: this.deps.clientLimit(clientId) },
      { key: scopeKeys.global, limit: this.deps.globalLimit },
    ];
  }
}
