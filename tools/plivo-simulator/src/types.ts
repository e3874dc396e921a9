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
}

export interface SimStats {
  total: number;
  live: number;
  maxLive: number;
  byOutcome: Record<Outcome, number>;
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
}>;
