import { z } from 'zod';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { loadConfig, natsEnv } from '@libs/config/env';

export const dialerConfigShape = {
  ...natsEnv,
  PLIVO_AUTH_ID: z.string().min(1),
  PLIVO_AUTH_TOKEN: z.string().min(1),
  PLIVO_API_URL: z.string().url().default('https://api.plivo.com'),
  /** Call API requests per second across every dialer instance (Plivo's default account limit is 2). */
  PLIVO_MAX_CPS: z.coerce.number().int().min(1).default(2),
  /** Time limit of one Call API request; kept under the 10 s shutdown deadline. */
  PLIVO_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(9_000).default(8_000),
  PUBLIC_BASE_URL: z.string().url(),
  /** Each scope's limit is capped: its slots are one KV entry, which must fit in a NATS message. */
  GLOBAL_MAX_CALLS: z.coerce.number().int().min(1).max(MAX_CONCURRENT_CALLS_PER_SCOPE).default(50),
  DEFAULT_CLIENT_MAX_CALLS: z.coerce.number().int().min(1).max(MAX_CONCURRENT_CALLS_PER_SCOPE).default(10),
  CALL_TIMEOUT_MINUTES: z.coerce.number().positive().default(10),
  BOT_WARMUP_URL: z.string().url().optional(),
  BOT_WARMUP_TIMEOUT: z.coerce.number().int().positive().default(60_000),
  BOT_WARMUP_RETRIES: z.coerce.number().int().min(1).default(3),
  /** Wait before the second warm-up try, doubled before each further one (at most 30 s). */
  BOT_WARMUP_BACKOFF_MS: z.coerce.number().int().min(0).default(1_000),
  /**
   * How long a dial job taken by a dialer that then went silent (crashed) waits before another dialer
   * gets it. A dialer working on a job extends it while it waits for slots; the claim on the call
   * subject keeps a job redelivered early from being dialled twice.
   */
  DIAL_ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(10_000),
  /**
   * Jobs each dialer instance works on at once per running campaign (warm-up, pacing, Call API request).
   * A lane takes a job only when it sees a free slot, so idle lanes cost nothing.
   */
  DIALER_LANES_PER_CAMPAIGN: z.coerce.number().int().min(1).max(256).default(32),
  /**
   * Jobs each dialer instance holds per running campaign beyond its free slots, ready for the next slot:
   * a call that ends in this dialer hands its slots to one of them in the same write that frees them.
   */
  DIALER_READY_JOBS_PER_CAMPAIGN: z.coerce.number().int().min(0).max(64).default(2),
};

export type DialerConfig = ReturnType<typeof loadDialerConfig>;
export const loadDialerConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(dialerConfigShape, env);
