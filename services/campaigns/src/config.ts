import { z } from 'zod';
import { loadConfig, mongoEnv, natsEnv } from '@libs/config/env';

export const campaignsConfigShape = {
  ...natsEnv,
  ...mongoEnv,
  DEFAULT_CLIENT_MAX_CALLS: z.coerce.number().int().min(1).default(10),
  /** Largest number of contacts one add-contacts request may carry. */
  MAX_CONTACTS_PER_REQUEST: z.coerce.number().int().min(1).default(10_000),
  /** How long a contact import waits for the previous batches of its campaign or list to be projected (then 409). */
  IMPORT_PROJECTION_WAIT_MS: z.coerce.number().int().min(100).default(10_000),
};

export type CampaignsConfig = ReturnType<typeof loadCampaignsConfig>;
export const loadCampaignsConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(campaignsConfigShape, env);
