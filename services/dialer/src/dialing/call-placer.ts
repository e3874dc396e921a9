import { Logger } from 'pino';
import { BOT_WARMUP_FAILED, NOT_DIALLED_CAMPAIGN_NOT_RUNNING, NOT_DIALLED_OUTSIDE_CALL_WINDOW } from '@contracts/calls/events';
import { isWithinWindow } from '@libs/call-window/call-window';
import { DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { maskPhone } from '@libs/logging/logger';
import { requestCall } from '../plivo/call-request-policy';
import { PlivoCallsClient } from '../plivo/plivo-calls.client';
import { SlotLedger } from '../slots/slot-ledger';
import { BotWarmup } from '../warmup/bot-warmup';
import { WarmupResult } from '../warmup/warmup-policy';
import { CallEventsPublisher } from './call-events.publisher';
import { Pacer } from './pacer';
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
 * re-reads the campaign status (the fence) and sends the Call API request. Every way out publishes
 * what happened; when no call was placed the slots are given back at once.
 */
export class CallPlacer {
  constructor(private readonly deps: CallPlacerDeps) {}

  async place(attempt: ClaimedAttempt): Promise<void> {
    const { job, callId, campaign } = attempt;
    const warmup = await this.deps.warmup.warm({
      campaignId: job.campaignId,
      clientId: job.clientId,
      contactId: job.contactId,
      callId,
      ...(campaign.agentId ? { agentId: campaign.agentId } : {}),
    });
    if (warmup && !warmup.ok) {
      this.deps.log.warn({ callId, attempts: warmup.attempts, err: warmup.lastError }, 'bot warm-up failed');
      return this.endWithoutCall(attempt, BOT_WARMUP_FAILED, 'failed', warmup);
    }
    await this.request(attempt, warmup);
  }

  private async request(attempt: ClaimedAttempt, warmup: WarmupResult | undefined): Promise<void> {
    const { job, callId, from, campaign } = attempt;
    const urls = webhookUrls(this.deps.publicBaseUrl, job.campaignId, callId);
    const { settings } = campaign;
    const machineDetection = settings.machineDetection && settings.machineDetection !== 'false' ? settings.machineDetection : undefined;
    const result = await requestCall(
      {
        beforeTry: async () => {
          await this.deps.pacer.take();
          // Fence, read from the bucket right before the request leaves: a pause or cancel acknowledged
          // since the claim wins, and the claimed attempt is handed back without a call.
          return (await this.deps.statusNow(job.campaignId)) === 'running' ? undefined : NOT_DIALLED_CAMPAIGN_NOT_RUNNING;
        },
        send: () =>
          this.deps.plivo.createCall({
            from,
            to: job.phoneNumber,
            answer_url: urls.answer,
            answer_method: 'POST',
            ring_url: urls.ring,
            hangup_url: urls.hangup,
            ...(machineDetection ? { machine_detection: machineDetection, machine_detection_url: urls.machine } : {}),
            ...(settings.ringTimeoutSeconds ? { ring_timeout: settings.ringTimeoutSeconds } : {}),
            ...(settings.timeLimitSeconds ? { time_limit: settings.timeLimitSeconds } : {}),
          }),
        wait: (ms) => new Promise((r) => setTimeout(r, ms)),
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
