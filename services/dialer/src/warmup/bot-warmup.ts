import { realClock, warmUp, WarmupClock, WarmupPolicy, WarmupResult } from './warmup-policy';

/** The call a warm-up is for; sent to the warm-up URL so the bot can prepare for this conversation. */
export interface WarmupRequest {
  campaignId: string;
  clientId: string;
  contactId: string;
  callId: string;
  agentId?: string;
}

export interface BotWarmup {
  /** Whether a call waits for a warm-up at all. */
  readonly enabled: boolean;
  /** undefined when no warm-up is configured: the call goes ahead without one. */
  warm(request: WarmupRequest, stop?: AbortSignal): Promise<WarmupResult | undefined>;
}

export const noWarmup: BotWarmup = { enabled: false, warm: async () => undefined };

/**
 * Warms the bot with `POST <BOT_WARMUP_URL>` and a JSON body naming the call; any 2xx answer means
 * warm. Tries, per-try timeout and backoff follow the policy.
 */
export class HttpBotWarmup implements BotWarmup {
  readonly enabled = true;

  constructor(
    private readonly url: string,
    private readonly policy: WarmupPolicy,
    private readonly clock: WarmupClock = realClock,
  ) {}

  warm(request: WarmupRequest, stop?: AbortSignal): Promise<WarmupResult> {
    return warmUp((signal) => this.post(request, signal), this.policy, this.clock, stop);
  }

  private async post(request: WarmupRequest, signal: AbortSignal): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`warm-up answered ${res.status}`);
  }
}
