import { z } from 'zod';
import { loadConfig, mongoEnv, natsEnv } from '@libs/config/env';

export const trackingConfigShape = {
  ...natsEnv,
  ...mongoEnv,
  TRACKING_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** Base URL Plivo calls; signatures are checked over this origin plus the request path and query. */
  PUBLIC_BASE_URL: z.string().url(),
  PLIVO_AUTH_TOKEN: z.string().min(1),
};

export type TrackingConfig = ReturnType<typeof loadTrackingConfig>;
export const loadTrackingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(trackingConfigShape, env);
