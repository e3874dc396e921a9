import { z } from 'zod';
import { loadConfig, natsEnv } from '@libs/config/env';

export const gatewayConfigShape = {
  ...natsEnv,
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ADMIN_API_KEY: z.string().min(12, 'must be at least 12 characters'),
  /** Largest JSON request body; larger requests get 413. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** How long a service may take to answer a command or query. */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigShape, env);
