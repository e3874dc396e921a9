// The simulator's state and behaviour, independent of HTTP: places calls,
// holds the live ones and the records, applies configuration changes.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { planCall } from './call-plan';
import { ParsedCallRequest } from './call-request';
import { CallStore } from './call-store';
import { injectedApiError, planChaos } from './chaos';
import { applyConfigPatch } from './config';
import { chooseOutcome } from './outcome-picker';
import { SimulatedCall } from './simulated-call';
import { ApiErrorRecord, CallRecord, SimConfig } from './types';
import { DeliveryPolicy, WebhookSender } from './webhook-sender';

export interface SimulatorCoreOptions {
  logger: Logger;
  random?: () => number;
  now?: () => number;
  deliveryPolicy?: DeliveryPolicy;
}

export class SimulatorCore {
  readonly store = new CallStore();
  private readonly active = new Set<SimulatedCall>();
  private readonly shutdown = new AbortController();
  private readonly sender: WebhookSender;
  private readonly random: () => number;
  private readonly now: () => number;
  private currentConfig: SimConfig;

  constructor(config: SimConfig, private readonly options: SimulatorCoreOptions) {
    this.currentConfig = config;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.sender = new WebhookSender({
      authToken: () => this.currentConfig.authToken,
      timeoutMs: () => this.currentConfig.webhookTimeoutMs,
      shutdown: this.shutdown.signal,
      logger: options.logger,
      policy: options.deliveryPolicy,
      now: this.now,
    });
  }

  get config(): SimConfig {
    return this.currentConfig;
  }

  /** Applies a partial change (throws ConfigError); new calls use it, calls in progress keep theirs. */
  configure(patch: unknown): SimConfig {
    const previousLevel = this.currentConfig.logLevel;
    this.currentConfig = applyConfigPatch(this.currentConfig, patch);
    if (this.currentConfig.logLevel !== previousLevel) this.options.logger.level = this.currentConfig.logLevel;
    return this.currentConfig;
  }

  placeCall(parsed: Extract<ParsedCallRequest, { ok: true }>): CallRecord {
    const config = this.currentConfig;
    const outcome = chooseOutcome(parsed.call.to, config.outcomes, config.outcomeByNumber, this.random);
    const plan = planCall(outcome, parsed.timing, config, this.random);
    const requestedAt = this.now();
    const record: CallRecord = {
      callUuid: randomUUID(),
      requestUuid: randomUUID(),
      request: parsed.raw,
      requestedAt,
      outcome,
      liveFrom: requestedAt,
      liveTo: null,
      answeredAt: null,
      hangup: null,
      answerXml: null,
      answerLatencyMs: null,
      webhooks: [],
      chaos: planChaos(config, parsed.timing, this.random),
    };
    this.store.add(record);
    const call = new SimulatedCall(record, parsed.call, plan, {
      store: this.store,
      sender: this.sender,
      logger: this.options.logger,
      now: this.now,
      random: this.random,
      onFinished: (finished) => this.active.delete(finished),
    });
    this.active.add(call);
    call.start();
    this.options.logger.debug({ callUuid: record.callUuid, outcome, to: parsed.call.to, plan, chaos: record.chaos }, 'call placed');
    return record;
  }

  /** The apiErrorRate knob: a refusal to answer instead of placing the call (recorded), or null. */
  refuseCallRequest(request: Record<string, string>): ApiErrorRecord | null {
    const refusal = injectedApiError(this.currentConfig, request, this.now(), this.random);
    if (refusal) {
      this.store.addApiError(refusal);
      this.options.logger.info({ status: refusal.status, to: request.to }, 'chaos: Call API request refused');
    }
    return refusal;
  }

  findLive(uuid: string): SimulatedCall | undefined {
    for (const call of this.active) {
      if (call.record.callUuid === uuid || call.record.requestUuid === uuid) return call;
    }
    return undefined;
  }

  /** Cancels every call in progress (no further webhooks) and forgets all records. */
  reset(): void {
    this.cancelAll();
    this.store.clear();
  }

  /** Stops all timers and in-flight webhook requests. */
  close(): void {
    this.cancelAll();
    this.shutdown.abort();
  }

  get liveCalls(): number {
    return this.active.size;
  }

  private cancelAll(): void {
    for (const call of [...this.active]) call.cancel();
    this.active.clear();
  }
}
