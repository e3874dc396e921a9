// Plays one call's plan: ring, answer (or not), machine detection, hangup,
// sending each webhook and recording it.
import type { Logger } from 'pino';
import { CallPlan, sampleRange } from './call-plan';
import { CallStore } from './call-store';
import { CallTimers } from './call-timers';
import { chance } from './chaos';
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
  random: () => number;
  /** Called once the call has ended (its hangup webhook delivered) or was cancelled. */
  onFinished: (call: SimulatedCall) => void;
}

type Phase = 'initiated' | 'ringing' | 'answered' | 'ended';

/** A webhook held back by the reorder knob, sent after the hangup. */
interface HeldBack {
  kind: WebhookKind;
  url: string;
  method: HttpMethod;
  extra: Record<string, string>;
}

/** Plivo's timestamp format, in UTC: "2024-05-01 13:45:07". */
export function plivoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class SimulatedCall {
  private readonly timers = new CallTimers();
  private phase: Phase = 'initiated';
  private cancelled = false;
  private previousDelivery: Promise<unknown> = Promise.resolve();
  private readonly heldBack: HeldBack[] = [];
  /** Wakes the pending slow-webhook delays, so a cancelled call stops at once. */
  private readonly sleeping = new Set<() => void>();

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
    for (const wake of [...this.sleeping]) wake();
    this.deps.onFinished(this);
  }

  private ring(): void {
    this.phase = 'ringing';
    if (this.request.ringUrl) {
      const ring: HeldBack = { kind: 'ring', url: this.request.ringUrl, method: this.request.ringMethod, extra: { CallStatus: 'ringing', Event: 'Ring' } };
      if (this.record.chaos.reordered) this.heldBack.push(ring);
      else this.send(ring.kind, ring.url, ring.method, ring.extra);
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
    // Plivo may re-deliver a callback late: a reordered call gets its answer callback again after the hangup.
    if (this.record.chaos.reordered) this.heldBack.push({ kind: 'answer', url: request.answerUrl, method: request.answerMethod, extra: params });
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
    let hangupSent: Promise<unknown> = Promise.resolve();
    if (!this.request.hangupUrl || this.record.chaos.hangupDropped) {
      if (this.request.hangupUrl) this.deps.logger.info({ callUuid: this.record.callUuid }, 'chaos: hangup webhook dropped');
      this.deps.store.markEnded(this.record, endedAt);
    } else {
      const duration = answeredAt === null ? 0 : Math.ceil((endedAt - answeredAt) / 1000);
      hangupSent = this.send(
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
      );
    }
    const late = this.heldBack.splice(0).map((held) => this.send(held.kind, held.url, held.method, held.extra, undefined, 'late'));
    void Promise.allSettled([hangupSent, ...late]).then(() => this.deps.onFinished(this));
  }

  /**
   * Queues a webhook behind this call's previous one, so a receiver sees one call's
   * webhooks in order even at tiny time scales (unless chaos says otherwise).
   * `onSent` gets the moment it leaves.
   */
  private send(
    kind: WebhookKind,
    url: string,
    method: HttpMethod,
    extra: Record<string, string>,
    onSent?: (sentAt: number) => void,
    tag?: 'late',
  ): Promise<WebhookDelivery | null> {
    const { record, request } = this;
    const { chaos } = record;
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
    const deliver = async (): Promise<WebhookDelivery | null> => {
      const delayedMs = chaos.webhookDelayMs.max > 0 ? Math.round(sampleRange(chaos.webhookDelayMs, this.deps.random)) : 0;
      if (delayedMs > 0) await this.sleep(delayedMs);
      if (this.cancelled) return null;
      const sentAt = this.deps.now();
      onSent?.(sentAt);
      const started = this.deps.sender.send({ kind, method, url, params }, sentAt);
      record.webhooks.push(withChaos(started.delivery, tag, delayedMs));
      if (chance(chaos.duplicateRate, this.deps.random)) {
        record.webhooks.push(withChaos(this.deps.sender.send({ kind, method, url, params }, sentAt).delivery, 'duplicate', delayedMs));
      }
      return started.done;
    };
    const result = this.previousDelivery.then(deliver);
    this.previousDelivery = result.catch(() => null);
    return result;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }
}

function withChaos(delivery: WebhookDelivery, tag: WebhookDelivery['chaos'], delayedMs: number): WebhookDelivery {
  if (tag) delivery.chaos = tag;
  if (delayedMs > 0) delivery.delayedMs = delayedMs;
  return delivery;
}
