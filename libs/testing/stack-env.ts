/** Environment overrides; `undefined` values are dropped. */
export type EnvOverrides = Record<string, string | undefined>;

export interface StackEnvInput {
  natsUrl: string;
  mongoUrl: string;
  mongoDb: string;
  natsNamespace: string;
  gatewayPort: number;
  trackingPort: number;
  /** The simulator's URL when the stack runs one. */
  simulatorUrl?: string;
  overrides?: EnvOverrides;
}

/** Credentials shared by the services and the Plivo simulator when no real account is used. */
export const SIMULATOR_AUTH_ID = 'MADEVSIMULATOR000000';
export const SIMULATOR_AUTH_TOKEN = 'dev-simulator-auth-token';

/**
 * The SPEC section 8 environment of every service of a stack: the stack's own endpoints,
 * then test-friendly defaults, then the caller's overrides.
 */
export function stackServiceEnv(input: StackEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    NATS_URL: input.natsUrl,
    NATS_REPLICAS: '1',
    NATS_NAMESPACE: input.natsNamespace,
    MONGO_URL: input.mongoUrl,
    MONGO_DB: input.mongoDb,
    GATEWAY_PORT: String(input.gatewayPort),
    TRACKING_PORT: String(input.trackingPort),
    // What the Plivo simulator (or Plivo through a tunnel) calls back.
    PUBLIC_BASE_URL: `http://127.0.0.1:${input.trackingPort}`,
    ADMIN_API_KEY: 'test-admin-key',
    LOG_LEVEL: 'warn',
    ...(input.simulatorUrl
      ? { PLIVO_API_URL: input.simulatorUrl, PLIVO_AUTH_ID: SIMULATOR_AUTH_ID, PLIVO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN }
      : {}),
    ...definedOnly(input.overrides ?? {}),
  };
  for (const required of ['PLIVO_API_URL', 'PLIVO_AUTH_ID', 'PLIVO_AUTH_TOKEN']) {
    if (!env[required]) throw new Error(`${required} is required when the stack runs without the simulator`);
  }
  return env;
}

/** Drops undefined values, so that an unset override keeps the default. */
export function definedOnly(env: EnvOverrides): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
