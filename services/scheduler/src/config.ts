import { z } from 'zod';
import { loadConfig, mongoEnv, natsEnv } from '@libs/config/env';

export const schedulerConfigShape = {
  ...natsEnv,
  ...mongoEnv,
  CALL_TIMEOUT_MINUTES: z.coerce.number().positive().default(10),
  /** How often open calls are checked for their timeout. */
  TIMEOUT_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
};

export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
export const loadSchedulerConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(schedulerConfigShape, env);
