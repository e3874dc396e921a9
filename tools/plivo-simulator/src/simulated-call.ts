// Plays one call's plan: ring, answer (or not), machine detection, hangup,
// sending each webhook and recording it.
import type { Logger } from 'pino';
import { CallPlan } from './call-plan';
import { CallStore } from './call-store';
import { CallTimers } from './call-timers';
import { CallEnding, HANGUP_INFO } from './hangup-causes';
import { CallRecord, HttpMethod, WebhookDelivery, WebhookKind } from './types';
import { isSuccess, WebhookSender } from './webhook-sender';

/** The Call API request, validated. */
export interface CallRequest {
  from: string;
  to: string;
  answerUrl: string;
  answerMethod: HttpMethod;
  ringUrl?: string;
  ringMethod: HttpMethod;
  hangupUrl?: string;
  hangupMethod: HttpMethod;
  machineDetectionUrl?: string;
  machineDetectionMethod: HttpMethod;
  machineDetection?: 'true' | 'hangup';
}

export interface SimulatedCallDeps {
  store: CallStore;
  sender: WebhookSender;
  logger: Logger;
  now: () => number;
  /** Called once the call has ended (its hangup webhook delivered) or was cancelled. */
  onFinished: (call: SimulatedCall) => void;
}

type Phase = 'initiated' | 'ringing' | 'answered' | 'ended';

/** Plivo's timestamp format, in UTC: "2024-05-01 13:45:07". */
export function plivoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class SimulatedCall {
  private readonly timers = new CallTimers();
  private phase: Phase = 'initiated';
  private cancelled = false;
  private previousDelivery: Promise<unknown> = Promise.resolve();

  constructor(
    readonly record: CallRecord,
    private readonly request: CallRequest,
    private readonly plan: CallPlan,
    private readonly deps: SimulatedCallDeps,
  ) {}

  get status(): Phase {
    return this.phase;
  }

  start(): void {
    this.timers.after(this.plan.ringAfterMs, () => this.ring());
  }

  /** Hangup requested through the API (DELETE /Call/{uuid}/). */
  hangUpByApi(): boolean {
    if (this.phase === 'ended') return false;
    this.finish(this.phase === 'answered' ? 'api-hangup-answered' : 'api-hangup-unanswered');
    return true;
  }

  /** Stops the call silently (reset, shutdown): no more webhooks. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.phase = 'ended';
    this.timers.cancelAll();
    this.deps.onFinished(this);
  }

  private ring(): void {
    this.phase = 'ringing';
    if (this.request.ringUrl) {
      this.send('ring', this.request.ringUrl, this.request.ringMethod, { CallStatus: 'ringing', Event: 'Ring' });
    }
    const outcome = this.plan.outcome;
    const next = outcome === 'answer' || outcome === 'voicemail' ? () => void this.answer() : () => this.finish(outcome);
    this.timers.after(this.plan.settleAfterMs, next);
  }

  private async answer(): Promise<void> {
    this.phase = 'answered';
    this.record.answeredAt = this.deps.now();
    const params: Record<string, string> = { CallStatus: 'in-progress', Event: 'StartApp' };
    if (this.plan.syncMachineParam) params.Machine = String(this.plan.outcome === 'voicemail');
    const { request } = this;
    const delivery = await this.send('answer', request.answerUrl, request.answerMethod, params);
    if (delivery === null || this.phase !== 'answered') return; // cancelled or hung up by the API meanwhile
    if (!isSuccess(delivery)) {
      this.finish('answer-url-error');
      return;
    }
    this.record.answerXml = delivery.responseBody;
    this.record.answerLatencyMs = delivery.latencyMs;
    if (this.plan.machineAfterMs !== null && request.machineDetectionUrl) {
      const url = request.machineDetectionUrl;
      this.timers.after(this.plan.machineAfterMs, () => this.detectMachine(url));
    }
    this.timers.after(this.plan.talkMs, () => this.finish(this.plan.machineHangup ? 'machine-hangup' : this.plan.outcome));
  }

  private detectMachine(url: string): void {
    this.send('machine', url, this.request.machineDetectionMethod, {
      CallStatus: 'in-progress',
      Event: 'MachineDetection',
      Machine: 'true',
      IfMachine: this.request.machineDetection === 'hangup' ? 'hangup' : 'continue',
    });
  }

  private finish(ending: CallEnding): void {
    if (this.phase === 'ended') return;
    const answeredAt = this.phase === 'answered' ? this.record.answeredAt : null;
    this.phase = 'ended';
    this.timers.cancelAll();
    const endedAt = this.deps.now();
    const info = HANGUP_INFO[ending];
    this.record.hangup = {
      callStatus: info.CallStatus,
      cause: info.HangupCause,
      causeName: info.HangupCauseName,
      causeCode: info.HangupCauseCode,
      source: info.HangupSource,
    };
    this.deps.logger.info(
      { callUuid: this.record.callUuid, outcome: this.record.outcome, ending, to: this.request.to },
      'call ended',
    );
    if (!this.request.hangupUrl) {
      this.deps.store.markEnded(this.record, endedAt);
      this.deps.onFinished(this);
    } else {
      const duration = answeredAt === null ? 0 : Math.ceil((endedAt - answeredAt) / 1000);
      this.send(
        'hangup',
        this.request.hangupUrl,
        this.request.hangupMethod,
        {
          ...info,
          Event: 'Hangup',
          Duration: String(duration),
          BillDuration: String(duration),
          StartTime: plivoTime(this.record.requestedAt),
          AnswerTime: answeredAt === null ? '' : plivoTime(answeredAt),
          EndTime: plivoTime(endedAt),
        },
        (sentAt) => this.deps.store.markEnded(this.record, sentAt),
      ).finally(() => this.deps.onFinished(this));
    }
  }

  /**
   * Queues a webhook behind this call's previous one, so a receiver sees one call's
   * webhooks in order even at tiny time scales. `onSent` gets the moment it leaves.
   */
  private send(
    kind: WebhookKind,
    url: string,
    method: HttpMethod,
    extra: Record<string, string>,
    onSent?: (sentAt: number) => void,
  ): Promise<WebhookDelivery | null> {
    const { record, request } = this;
    const params = {
      CallUUID: record.callUuid,
      RequestUUID: record.requestUuid,
      ALegUUID: record.callUuid,
      ALegRequestUUID: record.requestUuid,
      From: request.from,
      To: request.to,
      Direction: 'outbound',
      ...extra,
    };
    const deliver = (): Promise<WebhookDelivery | null> => {
      if (this.cancelled) return Promise.resolve(null);
      const sentAt = this.deps.now();
      onSent?.(sentAt);
      const started = this.deps.sender.send({ kind, method, url, params }, sentAt);
      record.webhooks.push(started.delivery);
      return started.done;
    };
    const result = this.previousDelivery.then(deliver);
    this.previousDelivery = result.catch(() => null);
    return result;
  }
}
