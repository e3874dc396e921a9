import { z } from 'zod';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { loadConfig, mongoEnv, natsEnv } from '@libs/config/env';

export const campaignsConfigShape = {
  ...natsEnv,
  ...mongoEnv,
  DEFAULT_CLIENT_MAX_CALLS: z.coerce.number().int().min(1).max(MAX_CONCURRENT_CALLS_PER_SCOPE).default(10),
  /** Largest number of contacts one add-contacts request may carry. */
  MAX_CONTACTS_PER_REQUEST: z.coerce.number().int().min(1).default(10_000),
  /** How long adding or removing do-not-call numbers waits for the change to reach the `dnc` KV bucket (then 409). */
  DNC_APPLY_WAIT_MS: z.coerce.number().int().min(100).default(10_000),
  /** The dial queue of a running campaign is kept at max(FEED_MIN_DEPTH, limit * FEED_DEPTH_PER_SLOT) jobs, topped up at half. */
  FEED_MIN_DEPTH: z.coerce.number().int().min(1).default(20),
  FEED_DEPTH_PER_SLOT: z.coerce.number().min(1).default(2),
  /** Feeds of one campaign requested within this many ms run once. */
  FEED_COALESCE_MS: z.coerce.number().int().min(0).default(20),
};

export type CampaignsConfig = ReturnType<typeof loadCampaignsConfig>;
export const loadCampaignsConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(campaignsConfigShape, env);
