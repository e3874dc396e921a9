// Shapes shared by the simulator and its test client (no runtime code here).

export const OUTCOMES = ['answer', 'voicemail', 'busy', 'no-answer', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type WebhookKind = 'ring' | 'answer' | 'machine' | 'hangup';
export type HttpMethod = 'GET' | 'POST';

/** One attempt to deliver one webhook, as the simulator saw it. */
export interface WebhookDelivery {
  kind: WebhookKind;
  method: HttpMethod;
  /** The URL exactly as requested (for GET it carries the parameters). */
  url: string;
  params: Record<string, string>;
  sentAt: number;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  error?: string;
  latencyMs: number;
  /** First 4 KB of the response body. */
  responseBody: string;
  /** Set when chaos made this delivery: an extra copy, or one held back until after the hangup. */
  chaos?: 'duplicate' | 'late';
  /** Extra delay (slow webhooks) before this delivery left, in ms. */
  delayedMs?: number;
}

export const MACHINE_DETECTION_MODES = ['auto', 'sync', 'async'] as const;
/**
 * How a machine-detection result is reported. auto: as Plivo does, to machine_detection_url when the
 * request has one (async), otherwise as `Machine` on the answer callback (sync). sync: always on the
 * answer callback. async: only to machine_detection_url (a request without one gets no result).
 */
export type MachineDetectionMode = (typeof MACHINE_DETECTION_MODES)[number];

/** The chaos applied to one call, fixed when the call is placed. */
export interface CallChaos {
  /** The ring callback (and, for answered calls, a repeated answer callback) is delivered after the hangup. */
  reordered: boolean;
  /** The hangup callback is never sent (the call still ends; liveTo is when it ended). */
  hangupDropped: boolean;
  /** Chance that each of this call's webhooks is delivered twice (the copies go out concurrently). */
  duplicateRate: number;
  /** Extra delay before each webhook of this call, in real ms (time scale applied). */
  webhookDelayMs: MsRange;
  /** How this call's machine-detection result is reported: `off` when the request asked for no detection. */
  machineDetection: 'off' | 'sync' | 'async';
}

/** A Call API request the simulator refused on purpose (apiErrorRate). No call was placed. */
export interface ApiErrorRecord {
  at: number;
  status: number;
  /** The response body, Plivo's error shape. */
  body: { api_id: string; error: string };
  /** The request parameters as received. */
  request: Record<string, string>;
}

export interface HangupSummary {
  callStatus: string;
  cause: string;
  causeName: string;
  causeCode: string;
  source: string;
}

export interface CallRecord {
  callUuid: string;
  requestUuid: string;
  /** The Call API request parameters as received (all values as strings). */
  request: Record<string, string>;
  requestedAt: number;
  outcome: Outcome;
  liveFrom: number;
  /** When the final hangup webhook was sent (or the call ended, without a hangup_url); null while live. */
  liveTo: number | null;
  answeredAt: number | null;
  /** How the call ended, as the hangup webhook reports it; null while live. */
  hangup: HangupSummary | null;
  /** Body returned by answer_url (truncated to 4 KB), when it answered 2xx. */
  answerXml: string | null;
  answerLatencyMs: number | null;
  webhooks: WebhookDelivery[];
  chaos: CallChaos;
}

export interface SimStats {
  total: number;
  live: number;
  maxLive: number;
  byOutcome: Record<Outcome, number>;
  /** Call API requests refused on purpose (apiErrorRate). */
  apiErrors: number;
}

export interface MsRange {
  min: number;
  max: number;
}

/** The run-time tunable settings (everything but the port and credentials). */
export interface TunableConfig {
  outcomes: Record<Outcome, number>;
  ringMs: MsRange;
  talkMs: MsRange;
  timeScale: number;
  outcomeByNumber: Record<string, Outcome>;
  webhookTimeoutMs: number;
  logLevel: string;
  // ---- chaos knobs (0 = off) ----
  /** Chance (0-1) that a webhook is delivered twice. */
  duplicateRate: number;
  /** Chance (0-1) that a call's ring callback (and a repeated answer) arrives after its hangup. */
  reorderRate: number;
  /** Chance (0-1) that a call's hangup callback is never sent. */
  dropHangupRate: number;
  /** Extra delay before every webhook (slow webhooks), scaled by timeScale. */
  webhookDelayMs: MsRange;
  /** Chance (0-1) that a Call API POST is refused with one of apiErrorStatuses (no call placed). */
  apiErrorRate: number;
  /** Statuses for refused requests, picked uniformly: 429 and/or 5xx. */
  apiErrorStatuses: number[];
  machineDetection: MachineDetectionMode;
}

export interface SimConfig extends TunableConfig {
  port: number;
  authId: string;
  authToken: string;
}

/**
 * What POST /__sim/config accepts: any subset of the tunables, where ranges may
 * also be written "100-300" and the outcome mix "answer=80,busy=20".
 */
export type ConfigPatch = Partial<{
  outcomes: Partial<Record<Outcome, number>> | string;
  ringMs: MsRange | string | number;
  talkMs: MsRange | string | number;
  timeScale: number;
  outcomeByNumber: Record<string, Outcome>;
  webhookTimeoutMs: number;
  logLevel: string;
  duplicateRate: number;
  reorderRate: number;
  dropHangupRate: number;
  webhookDelayMs: MsRange | string | number;
  apiErrorRate: number;
  apiErrorStatuses: number[] | string;
  machineDetection: MachineDetectionMode;
}>;
