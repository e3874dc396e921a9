import { z } from 'zod';

/** Shared environment settings of every service (SPEC section 8). */
export const natsEnv = {
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** Prefix of every subject, stream and bucket; lets isolated systems share one NATS server (tests). */
  NATS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const mongoEnv = {
  MONGO_URL: z.string().min(1).default('mongodb://127.0.0.1:27017'),
  MONGO_DB: z.string().min(1).default('campaigns'),
};

export class ConfigError extends Error {}

/**
 * Validates `env` against the schema; a bad value throws a ConfigError naming every bad variable,
 * and the service refuses to start.
 */
export function loadConfig<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const empty = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = z.object(shape).safeParse(empty);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return result.data;
}
