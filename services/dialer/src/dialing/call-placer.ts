import { Logger } from 'pino';
import {
  BOT_WARMUP_FAILED,
  NOT_DIALLED_CAMPAIGN_NOT_RUNNING,
  NOT_DIALLED_DIALER_STOPPING,
  NOT_DIALLED_OUTSIDE_CALL_WINDOW,
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
import { PacedRequest, Pacer, sleep } from './pacer';
import { webhookUrls } from './webhook-urls';

/** An attempt this dialer has claimed (CallRequested published) while holding its slots. */
export interface ClaimedAttempt {
  job: DialJob;
  callId: string;
  from: string;
  campaign: CampaignRuntime;
  /** Every scope key the call holds a slot in. */
  scopeKeys: string[];
}

export interface CallPlacerDeps {
  warmup: BotWarmup;
  pacer: Pacer;
  plivo: PlivoCallsClient;
  events: CallEventsPublisher;
  ledger: SlotLedger;
  /** The campaign's status read from the bucket now, not from the watched mirror. */
  statusNow: (campaignId: string) => Promise<string | undefined>;
  publicBaseUrl: string;
  log: Logger;
}

/** Waits before the 2nd to 5th try of a request Plivo refused (429, 503) or that could not connect. */
const PLIVO_RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000];

/**
 * Turns a claimed attempt into a Plivo call: warms the bot up, waits for the account-wide pacing turn,
 * re-reads the campaign status (the fence) and sends the Call API request (see requestCall for retries). Every way out publishes
 * what happened; when no call was placed the slots are given back at once.
 */
export class CallPlacer {
  constructor(private readonly deps: CallPlacerDeps) {}

  /** `stop` (dialer shutting down) hands the attempt back undialled wherever it is before the request. */
  async place(attempt: ClaimedAttempt, stop?: AbortSignal): Promise<void> {
    const { job, callId, campaign } = attempt;
    const warmup = await this.deps.warmup.warm(
      {
        campaignId: job.campaignId,
        clientId: job.clientId,
        contactId: job.contactId,
        callId,
        ...(campaign.agentId ? { agentId: campaign.agentId } : {}),
      },
      stop,
    );
    if (stop?.aborted) return this.endWithoutCall(attempt, NOT_DIALLED_DIALER_STOPPING, 'cancelled', warmup);
    if (warmup && !warmup.ok) {
      this.deps.log.warn({ callId, attempts: warmup.attempts, err: warmup.lastError }, 'bot warm-up failed');
      return this.endWithoutCall(attempt, BOT_WARMUP_FAILED, 'failed', warmup);
    }
    await this.request(attempt, warmup, stop);
  }

  private async request(attempt: ClaimedAttempt, warmup: WarmupResult | undefined, stop: AbortSignal | undefined): Promise<void> {
    const { job, callId, from, campaign } = attempt;
    const urls = webhookUrls(this.deps.publicBaseUrl, job.campaignId, callId);
    const { settings } = campaign;
    const machineDetection = settings.machineDetection && settings.machineDetection !== 'false' ? settings.machineDetection : undefined;
    let paced: PacedRequest | undefined;
    let tries = 0;
    const result = await requestCall(
      {
        beforeTry: async () => {
          const admitted = await this.admitAndFence(job, `${callId}#${++tries}`, stop);
          if (typeof admitted === 'string') return admitted;
          paced = admitted;
          return undefined;
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
            await this.paced(paced?.answered());
            return placed;
          } catch (e) {
            // Cut off without an answer, the request may still be on its way to Plivo.
            await this.paced(paced?.answered(e instanceof PlivoTransportError ? 1_000 : 0));
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
        return this.endWithoutCall(attempt, result.reason, 'cancelled', warmup);
      case 'not-placed':
        this.deps.log.warn({ ...log, err: result.error, reason: result.reason }, 'call request failed; no call placed');
        return this.endWithoutCall(attempt, result.reason, 'failed', warmup);
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
   * Waits until the account-wide pacer admits one more request, then reads the fence, the campaign
   * status in the bucket: a pause or cancel acknowledged since the claim wins, and the claimed attempt
   * is handed back without a call (so does a contact whose call window has closed). Resolves to the
   * admission, or to the reason to call the request off.
   */
  private async admitAndFence(job: DialJob, requestId: string, stop: AbortSignal | undefined): Promise<PacedRequest | string> {
    const paced = await this.deps.pacer.admit(requestId, stop);
    if (!paced) return NOT_DIALLED_DIALER_STOPPING;
    const calledOff =
      (await this.deps.statusNow(job.campaignId)) !== 'running'
        ? NOT_DIALLED_CAMPAIGN_NOT_RUNNING
        : job.window && !isWithinWindow(job.window, new Date())
          ? NOT_DIALLED_OUTSIDE_CALL_WINDOW
          : undefined;
    if (!calledOff) return paced;
    await this.paced(paced.withdrawn());
    return calledOff;
  }

  /** A pacer update that failed only keeps the request counting until its in-flight expiry: safe, so not fatal. */
  private async paced(update: Promise<void> | undefined): Promise<void> {
    await update?.catch((err) => this.deps.log.warn({ err }, 'pacer update failed'));
  }

  /** No call was placed: the end is published first (it is what counts), then the slots are given back. */
  private async endWithoutCall(
    attempt: ClaimedAttempt,
    reason: string,
    outcome: 'failed' | 'cancelled',
    warmup: WarmupResult | undefined,
  ): Promise<void> {
    await this.deps.events.failed(attempt.job, attempt.callId, reason, outcome, warmup);
    await this.deps.ledger.release(attempt.scopeKeys, attempt.callId);
  }
}
