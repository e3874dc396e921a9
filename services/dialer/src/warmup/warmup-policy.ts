import { LinkedSignal } from '../shared/linked-signal';
import { sleep } from '../shared/sleep';

/** What a warm-up ended with; `attempts` and `durationMs` are recorded on the call. */
export interface WarmupResult {
  ok: boolean;
  attempts: number;
  durationMs: number;
  /** Why the last try failed, when it did. */
  lastError?: string;
  /** The warm-up was abandoned because the dialer is stopping; the call must not be placed. */
  aborted?: boolean;
}

export interface WarmupPolicy {
  /** How many tries at most (BOT_WARMUP_RETRIES). */
  tries: number;
  /** Time limit of one try (BOT_WARMUP_TIMEOUT). */
  timeoutMs: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs: number;
  /** Upper bound of one wait between tries. */
  maxBackoffMs: number;
}

export interface WarmupClock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The waits between tries: backoff, 2 x backoff, ... capped; one fewer than the tries. */
export function warmupBackoffDelays(policy: Pick<WarmupPolicy, 'tries' | 'backoffMs' | 'maxBackoffMs'>): number[] {
  return Array.from({ length: Math.max(0, policy.tries - 1) }, (_, i) => Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** i));
}

/**
 * Warms the bot up with `tryOnce`, each try bounded by the policy's timeout, retrying with backoff
 * until one succeeds or the tries are used up. `stop` aborts the whole warm-up (dialer shutting down).
 */
export async function warmUp(
  tryOnce: (signal: AbortSignal) => Promise<void>,
  policy: WarmupPolicy,
  clock: WarmupClock,
  stop?: AbortSignal,
): Promise<WarmupResult> {
  const started = clock.now();
  const delays = warmupBackoffDelays(policy);
  let lastError: string | undefined;
  for (let attempt = 1; attempt <= policy.tries; attempt++) {
    if (stop?.aborted) return { ok: false, attempts: attempt - 1, durationMs: clock.now() - started, lastError, aborted: true };
    const deadline = new LinkedSignal([stop], policy.timeoutMs);
    try {
      await withDeadline(tryOnce(deadline.signal), deadline.signal);
      return { ok: true, attempts: attempt, durationMs: clock.now() - started };
    } catch (e) {
      if (stop?.aborted) return { ok: false, attempts: attempt, durationMs: clock.now() - started, lastError: describe(e), aborted: true };
      lastError = deadline.timedOut ? `timed out after ${policy.timeoutMs} ms` : describe(e);
    } finally {
      deadline.release();
    }
    if (attempt < policy.tries) await clock.sleep(delays[attempt - 1], stop);
  }
  return { ok: false, attempts: policy.tries, durationMs: clock.now() - started, lastError };
}

/** Rejects when `signal` aborts even if the try itself ignores its signal. */
function withDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const realClock: WarmupClock = {
  now: () => Date.now(),
  sleep,
};
