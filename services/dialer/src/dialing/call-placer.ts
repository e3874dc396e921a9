import { Logger } from 'pino';
import {
  BOT_WARMUP_FAILED,
  NOT_DIALLED_CAMPAIGN_NOT_RUNNING,
  NOT_DIALLED_DIALER_STOPPING,
  NOT_DIALLED_OUTSIDE_CALL_WINDOW,
  NOT_DIALLED_REASONS,
} from '@contracts/calls/events';
import { isWithinWindow } from '@libs/call-window/call-window';
import { DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { maskPhone } from '@libs/logging/logger';
import { requestCall } from '../plivo/call-request-policy';
import { PlivoCallsClient, PlivoTransportError } from '../plivo/plivo-calls.client';
import { SlotLedger } from '../slots/slot-ledger';
import { BotWarmup } from '../warmup/bot-warmup';
import { WarmupResult } from '../warmup/warmup-policy';
import { CallEventsPublisher } from './call-events.publisher';
import { DoNotCall } from './do-not-call';
import { LinkedSignal } from '../shared/linked-signal';
import { sleep } from '../shared/sleep';
import { PacedRequest, Pacer } from './pacer';
import { webhookUrls } from './webhook-urls';

/** An attempt whose slots this dialer holds, not yet claimed. */
export interface HeldAttempt {
  job: DialJob;
  callId: string;
  from: string;
  campaign: CampaignRuntime;
  /** This dialer's holder id in the slot ledger, and the scopes it holds a slot in. */
  holder: string;
  scopeKeys: string[];
  acquiredAt: number;
}

/** The attempt's message on the DIAL work queue, while the attempt is not claimed. */
export interface QueuedJob {
  /** Still being worked on: keeps the queue from giving the job to another dialer. */
  keepAlive(): void;
  /** Done with it: claimed here, or by another dialer. */
  ack(): void;
  /** Back to the queue, for any dialer to take (after `delayMs`, if given). */
  giveBack(delayMs?: number): void;
}

export interface CallPlacerDeps {
  warmup: BotWarmup;
  pacer: Pacer;
  plivo: PlivoCallsClient;
  events: CallEventsPublisher;
  ledger: SlotLedger;
  /** The campaign's status read from the bucket now, not from the watched mirror. */
  statusNow: (campaignId: string) => Promise<string | undefined>;
  /** Numbers on the client's do-not-call list are skipped, never dialled. */
  doNotCall?: DoNotCall;
  /** Whether the attempt already has its end (it was claimed and ended elsewhere). */
  hasEnded: (job: DialJob, callId: string) => Promise<boolean>;
  /**
   * A request is sent at most this long after its pacer admission, or it takes a new one: the window
   * counts an unanswered admission for the request timeout plus twice this (see DialerSupervisor).
   */
  admissionUseWithinMs: number;
  /** Slot lease, also the call timeout counted from the claim (CALL_TIMEOUT_MINUTES). */
  leaseMs: number;
  publicBaseUrl: string;
  log: Logger;
}

/** Waits before the 2nd to 5th try of a request Plivo refused (429, 503) or that could not connect. */
const PLIVO_RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000];
const KEEP_ALIVE_MS = 1_000;
/** A job handed back because its campaign stopped running is offered again after this long. */
const NOT_RUNNING_REDELIVERY_MS = 200;

/** Why an attempt holding its slots is not dialled after all. */
type Refusal = 'not-running' | 'do-not-call';

/** See CallPlacer.headStart. */
export interface HeadStart {
  /** The refusal reads, settled. */
  refusal: Promise<{ refused: Refusal | undefined } | { error: unknown }>;
  /** The pacer's admission: the early one where it was asked for already (`waits` then cancels it), or a new one. */
  admit(waits: AbortSignal): Promise<PacedRequest | undefined>;
  /** Not placed after all: an early admission is given back. */
  discard(): void;
}

/**
 * Turns an attempt holding its slots into a Plivo call. The waits come first, while the job is still
 * on the queue (kept alive): the bot warm-up, then the account-wide pacer. Only then is the attempt
 * claimed (CallRequested, which also starts its call timeout), the job acknowledged, the campaign
 * status re-read (the fence) and the Call API request sent. So a claimed attempt is never left waiting,
 * and a dialer that stops or dies before the claim simply leaves the job to the others.
 */
export class CallPlacer {
  constructor(private readonly deps: CallPlacerDeps) {}

  /**
   * What an attempt does before its claim that needs no slot yet, started now: the refusal reads and,
   * when no warm-up comes first, the pacer's admission. A CampaignDialer starts it as slots are being
   * handed to a job, so these round trips overlap that write; `place` starts it itself otherwise.
   */
  headStart(job: DialJob): HeadStart {
    // Settled (never an unhandled rejection) and looked at before the claim.
    const refusal = this.refusal(job).then(
      (refused) => ({ refused }),
      (error: unknown) => ({ error }),
    );
    if (this.deps.warmup.enabled) return { refusal, admit: (waits) => this.deps.pacer.admit(waits), discard: () => undefined };
    // Admitted early, but only used by a request sent right after the claim: well within the in-flight
    // expiry the window counts an unanswered admission for (see rate-window.ts).
    const early = new AbortController();
    const admission = this.deps.pacer.admit(early.signal);
    admission.catch(() => undefined);
    return {
      refusal,
      admit: (waits) => {
        if (waits.aborted) early.abort();
        else waits.addEventListener('abort', () => early.abort(), { once: true });
        return admission;
      },
      discard: () => {
        early.abort();
        admission.then((paced) => this.paced(paced?.withdrawn()), () => undefined);
      },
    };
  }

  /**
   * `stop` (dialer shutting down): before the claim the job goes back to the queue; after it, only a
   * request already sent is finished. `started`: the attempt's head start, if it has one.
   */
  async place(attempt: HeldAttempt, queued: QueuedJob, stop?: AbortSignal, started?: HeadStart): Promise<void> {
    const { job, callId, from } = attempt;
    const lease = this.keepSlots(attempt, queued);
    const waits = new LinkedSignal([stop, lease.lost]);
    const { refusal, admit } = started ?? this.headStart(job);
    let warmup: WarmupResult | undefined;
    let paced: PacedRequest | undefined;
    try {
      warmup = await this.warmUp(attempt, waits.signal);
      // Asked for even when the waits were cut short: an early admission made meanwhile is given back below.
      if (!warmup || warmup.ok) paced = await admit(waits.signal);
    } finally {
      waits.release();
      lease.stop();
    }
    if (stop?.aborted) return this.giveBack(attempt, queued, paced);
    if (lease.lost.aborted || !(await lease.stillHeld())) {
      this.deps.log.warn({ callId }, 'slot lease ran out before the claim; job given back');
      return this.giveBack(attempt, queued, paced);
    }
    const checked = await refusal;
    if ('error' in checked) {
      await this.giveBack(attempt, queued, paced);
      throw checked.error;
    }
    if (checked.refused === 'not-running') return this.giveBack(attempt, queued, paced, NOT_RUNNING_REDELIVERY_MS);
    if (checked.refused === 'do-not-call') {
      await this.letGo(attempt, paced);
      await this.deps.doNotCall!.skip(job, callId);
      queued.ack();
      return;
    }
    // The fence's status read goes out with the claim, not after it: a pause acknowledged before
    // then is still seen, one round trip sooner. Looked at only once the claim is ours.
    const statusAtClaim = this.deps.statusNow(job.campaignId);
    statusAtClaim.catch(() => undefined);
    if (!(await this.deps.events.claim(job, callId, from, machineDetectionOf(attempt.campaign) !== undefined))) {
      this.deps.log.warn({ callId }, 'attempt already claimed by another dialer; skipping');
      await this.paced(paced?.withdrawn());
      // The claimer's end frees the call's slots; if it has ended already, that happened before ours were taken.
      if (await this.deps.hasEnded(job, callId)) await this.deps.ledger.release(attempt.scopeKeys, attempt.holder);
      queued.ack();
      return;
    }
    queued.ack();
    if (!paced) {
      this.deps.log.warn({ callId, attempts: warmup?.attempts, err: warmup?.lastError }, 'bot warm-up failed');
      return this.endWithoutCall(attempt, BOT_WARMUP_FAILED, warmup);
    }
    await this.request(attempt, warmup, paced, statusAtClaim, stop);
  }

  /**
   * Read now, with the slots held: the campaign's status in the bucket (the watched mirror may lag a
   * pause by milliseconds; the bucket is written before a pause is acknowledged), and the do-not-call
   * list (a number listed while its job waited is not dialled).
   */
  private async refusal(job: DialJob): Promise<Refusal | undefined> {
    const [status, listed] = await Promise.all([this.deps.statusNow(job.campaignId), this.deps.doNotCall?.isListed(job)]);
    return status !== 'running' ? 'not-running' : listed ? 'do-not-call' : undefined;
  }

  private warmUp({ job, callId, campaign }: HeldAttempt, stop: AbortSignal | undefined): Promise<WarmupResult | undefined> {
    return this.deps.warmup.warm(
      {
        campaignId: job.campaignId,
        clientId: job.clientId,
        contactId: job.contactId,
        callId,
        ...(campaign.agentId ? { agentId: campaign.agentId } : {}),
      },
      stop,
    );
  }

  /**
   * While the job waits before its claim, the queue is told it is still worked on, and the slots'
   * lease is renewed every third of it (a warm-up or a long pacing queue may outlast a lease). A
   * renewal that finds a slot gone aborts the waits: the job goes back, undialled.
   */
  private keepSlots(attempt: HeldAttempt, queued: QueuedJob) {
    const { ledger, leaseMs } = this.deps;
    const lost = new AbortController();
    let renewedAt = attempt.acquiredAt;
    let renewing: Promise<boolean> | undefined;
    const renew = () =>
      (renewing ??= ledger
        .renew(attempt.scopeKeys, attempt.holder, leaseMs)
        .then((held) => {
          if (held) renewedAt = Date.now();
          else lost.abort();
          return held;
        })
        .catch((err) => {
          // Not knowing is treated as lost: the job goes back rather than risk a call without its slots.
          this.deps.log.warn({ err }, 'slot lease renewal failed');
          lost.abort();
          return false;
        })
        .finally(() => (renewing = undefined)));
    const timer = setInterval(() => {
      queued.keepAlive();
      if (Date.now() - renewedAt >= leaseMs / 3) void renew();
    }, Math.min(KEEP_ALIVE_MS, leaseMs / 6));
    return {
      lost: lost.signal,
      stop: () => clearInterval(timer),
      /** Right before the claim: renewed once more if a quarter of the lease has gone by. */
      stillHeld: async () => (Date.now() - renewedAt < leaseMs / 4 ? !lost.signal.aborted : renew()),
    };
  }

  private async request(
    attempt: HeldAttempt,
    warmup: WarmupResult | undefined,
    firstAdmission: PacedRequest,
    statusAtClaim: Promise<string | undefined>,
    stop: AbortSignal | undefined,
  ): Promise<void> {
    const { job, callId, from, campaign } = attempt;
    const urls = webhookUrls(this.deps.publicBaseUrl, job.campaignId, callId);
    const { settings } = campaign;
    const machineDetection = machineDetectionOf(campaign);
    const claimedAt = Date.now();
    let paced: PacedRequest | undefined = firstAdmission;
    let tries = 0;
    const result = await requestCall(
      {
        beforeTry: async () => {
          // A retry after a refusal takes a new turn with the pacer (the last one was answered), and reads the status anew.
          let status: Promise<string | undefined> | undefined = ++tries === 1 ? statusAtClaim : undefined;
          if (tries > 1) paced = undefined;
          for (;;) {
            if (!paced) {
              // In good time before the call timeout.
              const waits = new LinkedSignal([stop], Math.max(0, claimedAt + this.deps.leaseMs / 2 - Date.now()));
              paced = await this.deps.pacer.admit(waits.signal).finally(() => waits.release());
              if (!paced) return stop?.aborted ? NOT_DIALLED_DIALER_STOPPING : 'plivo_retries_out_of_time';
            }
            const calledOff = await this.fence(job, paced, status ?? this.deps.statusNow(job.campaignId));
            if (calledOff || Date.now() - paced.admittedAt <= this.deps.admissionUseWithinMs) return calledOff;
            // Held too long (NATS slow to claim): the window might stop counting it before the request arrives.
            void this.paced(paced.withdrawn());
            [paced, status] = [undefined, undefined];
          }
        },
        send: async () => {
          try {
            const placed = await this.deps.plivo.createCall({
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
            // Not waited for: the pacer records answers in its own time (they only shorten the counting).
            void this.paced(paced?.answered());
            return placed;
          } catch (e) {
            // Cut off without an answer, the request may still be on its way to Plivo.
            void this.paced(paced?.answered(e instanceof PlivoTransportError ? 1_000 : 0));
            throw e;
          }
        },
        wait: (ms) => sleep(ms, stop),
      },
      PLIVO_RETRY_DELAYS_MS,
    );
    const log = { callId, campaignId: job.campaignId, to: maskPhone(job.phoneNumber), tries: result.tries };
    switch (result.kind) {
      case 'placed':
        return this.deps.events.initiated(job, callId, result.requestUuid, warmup);
      case 'called-off':
        return this.endWithoutCall(attempt, result.reason, warmup);
      case 'not-placed':
        this.deps.log.warn({ ...log, err: result.error, reason: result.reason }, 'call request failed; no call placed');
        return this.endWithoutCall(attempt, result.reason, warmup);
      case 'unknown':
        // Plivo may have placed this call: never send it again, and keep its slots. Its webhooks end
        // it as usual; if none ever come, the scheduler ends it as `timeout` after CALL_TIMEOUT_MINUTES.
        this.deps.log.error({ ...log, err: result.error, reason: result.reason }, 'call request outcome unknown; left to its webhooks or the call timeout');
        return;
      default: {
        const unexpected: never = result;
        return unexpected;
      }
    }
  }

  /**
   * The last look before a request leaves: the campaign status in the bucket, read as the attempt was
   * claimed (a pause or cancel acknowledged by then wins, and the attempt ends without a call), and the
   * contact's call window. Resolves to the reason to call the request off, if any.
   */
  private async fence(job: DialJob, paced: PacedRequest, status: Promise<string | undefined>): Promise<string | undefined> {
    const calledOff =
      (await status) !== 'running'
        ? NOT_DIALLED_CAMPAIGN_NOT_RUNNING
        : job.window && !isWithinWindow(job.window, new Date())
          ? NOT_DIALLED_OUTSIDE_CALL_WINDOW
          : undefined;
    if (calledOff) await this.paced(paced.withdrawn());
    return calledOff;
  }

  /** Not claimed: the job goes back to the queue, and what this dialer took is given back. */
  private async giveBack(attempt: HeldAttempt, queued: QueuedJob, paced: PacedRequest | undefined, delayMs?: number): Promise<void> {
    await this.letGo(attempt, paced);
    queued.giveBack(delayMs);
  }

  /** Undialled: the pacer admission and the slots go back. */
  private async letGo(attempt: HeldAttempt, paced: PacedRequest | undefined): Promise<void> {
    await this.paced(paced?.withdrawn());
    await this.deps.ledger.release(attempt.scopeKeys, attempt.holder);
  }

  /**
   * Claimed, but no call was placed: the end is published first (it is what counts), then the slots are
   * given back. Attempts handed back undialled end `cancelled` (the contact is queued again), others `failed`.
   */
  private async endWithoutCall(attempt: HeldAttempt, reason: string, warmup: WarmupResult | undefined): Promise<void> {
    const outcome = NOT_DIALLED_REASONS.includes(reason) ? 'cancelled' : 'failed';
    await this.deps.events.failed(attempt.job, attempt.callId, reason, outcome, warmup);
    await this.deps.ledger.release(attempt.scopeKeys, attempt.holder);
    this.deps.log.info({ callId: attempt.callId, campaignId: attempt.job.campaignId, reason, outcome }, 'attempt ended without a call');
  }

  /** A pacer update that failed only keeps the request counting until its in-flight expiry: safe, so not fatal. */
  private async paced(update: Promise<void> | undefined): Promise<void> {
    await update?.catch((err) => this.deps.log.warn({ err }, 'pacer update failed'));
  }
}

/** The machine detection mode the Call API request asks for, if any. */
function machineDetectionOf({ settings }: CampaignRuntime): 'true' | 'hangup' | undefined {
  return settings.machineDetection === 'false' ? undefined : settings.machineDetection;
}
