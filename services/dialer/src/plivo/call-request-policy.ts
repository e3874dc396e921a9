import { PlivoApiError, PlivoTransportError } from './plivo-calls.client';

/**
 * What a failed Call API request tells us. Plivo's Call API has no idempotency key, so a request is
 * sent again only when the failure proves no call was placed:
 * - `retry`: Plivo refused before doing anything (429 rate limit, 503 unavailable) or the connection
 *   failed before the request left (refused, DNS, connect timeout, TLS set-up);
 * - `rejected`: Plivo refused the request for good (400 invalid destination or parameter, 401, 404 ...);
 * - `unknown`: the request may have been processed: a timeout or dropped connection after sending, a
 *   500/502/504 (an error or a gateway after the request reached Plivo), an unreadable 2xx.
 */
export type FailureClass = { kind: 'retry' | 'rejected' | 'unknown'; reason: string; retryAfterMs?: number };

const REFUSED_BEFORE_PROCESSING = new Set([429, 503]);

export function classifyRequestFailure(e: unknown): FailureClass {
  if (e instanceof PlivoApiError) {
    if (REFUSED_BEFORE_PROCESSING.has(e.status)) return { kind: 'retry', reason: `plivo_unavailable_${e.status}`, retryAfterMs: e.retryAfterMs };
    if (e.status >= 500) return { kind: 'unknown', reason: `plivo_outcome_unknown_${e.status}` };
    return { kind: 'rejected', reason: `plivo_rejected_${e.status}` };
  }
  if (e instanceof PlivoTransportError) {
    return e.sent ? { kind: 'unknown', reason: 'plivo_outcome_unknown' } : { kind: 'retry', reason: 'plivo_unreachable' };
  }
  return { kind: 'unknown', reason: 'plivo_outcome_unknown' };
}

export type RequestResult =
  | { kind: 'placed'; requestUuid: string; tries: number }
  /** `beforeTry` called it off (campaign no longer running, dialer stopping): no call was placed. */
  | { kind: 'called-off'; reason: string; tries: number }
  /** Refused for good, or every try refused: no call was placed. */
  | { kind: 'not-placed'; reason: string; tries: number; error: unknown }
  /** The last try may have placed a call: it must not be sent again, and its slots stay held. */
  | { kind: 'unknown'; reason: string; tries: number; error: unknown };

export interface RequestSteps {
  /** Runs before every try (pacing, the status fence); a string calls the request off with that reason. */
  beforeTry(): Promise<string | undefined>;
  send(): Promise<{ requestUuid: string }>;
  wait(ms: number): Promise<void>;
}

/**
 * Sends the Call API request, again after a failure only when that failure proves no call was placed,
 * waiting `delaysMs[i]` (or Plivo's Retry-After, up to `maxDelayMs`) before try i + 2.
 */
export async function requestCall(steps: RequestSteps, delaysMs: readonly number[], maxDelayMs = 30_000): Promise<RequestResult> {
  for (let tries = 1; ; tries++) {
    const calledOff = await steps.beforeTry();
    if (calledOff) return { kind: 'called-off', reason: calledOff, tries: tries - 1 };
    try {
      const { requestUuid } = await steps.send();
      return { kind: 'placed', requestUuid, tries };
    } catch (error) {
      const failure = classifyRequestFailure(error);
      if (failure.kind === 'unknown') return { kind: 'unknown', reason: failure.reason, tries, error };
      if (failure.kind === 'rejected' || tries > delaysMs.length) return { kind: 'not-placed', reason: failure.reason, tries, error };
      await steps.wait(Math.min(maxDelayMs, Math.max(delaysMs[tries - 1], failure.retryAfterMs ?? 0)));
    }
  }
}
