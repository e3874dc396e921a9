import { z } from 'zod';

const shape = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only').default(''),
  MONGO_URL: z.string().min(1).default('mongodb://127.0.0.1:27017'),
  MONGO_DB: z.string().min(1).default('analytics'),
  CONSUMER_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('analytics-hourly-outcomes'),
  REPORT_EVERY_MS: z.coerce.number().int().min(1000).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AnalyticsConfig = z.infer<typeof shape>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const result = shape.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) throw new Error(`invalid configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}
