import { z } from 'zod';
import { loadConfig, mongoEnv, natsEnv } from '@libs/config/env';

export const trackingConfigShape = {
  ...natsEnv,
  ...mongoEnv,
  TRACKING_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** Base URL Plivo calls; signatures are checked over this origin and path prefix plus the request path and query. */
  PUBLIC_BASE_URL: z.string().url(),
  PLIVO_AUTH_TOKEN: z.string().min(1),
  /** Main account token for X-Plivo-Signature-Ma-V3, when calls are placed with a subaccount's credentials. */
  PLIVO_MAIN_AUTH_TOKEN: z.string().min(1).optional(),
};

export type TrackingConfig = ReturnType<typeof loadTrackingConfig>;
export const loadTrackingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(trackingConfigShape, env);
