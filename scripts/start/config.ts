export const DEV_ADMIN_API_KEY = 'dev-admin-key';

export interface StartConfig {
  infraOnly: boolean;
  gatewayPort: number;
  trackingPort: number;
  simulatorPort: number;
  dialerReplicas: number;
  mongoDb: string;
  simulator: boolean;
  adminApiKey: string;
}

/** npm start's own settings; a bad value throws, naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): StartConfig {
  const simulator = !env.PLIVO_API_URL;
  if (!simulator && (!env.PLIVO_AUTH_ID || !env.PLIVO_AUTH_TOKEN)) {
    throw new Error('PLIVO_API_URL is set, so PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN are required too');
  }
  return {
    infraOnly: argv.includes('--infra-only'),
    gatewayPort: intFrom(env, 'GATEWAY_PORT', 3000, 1, 65535),
    trackingPort: intFrom(env, 'TRACKING_PORT', 3001, 1, 65535),
    simulatorPort: intFrom(env, 'SIM_PORT', 4010, 1, 65535),
    dialerReplicas: intFrom(env, 'DIALER_REPLICAS', 1, 1, 64),
    mongoDb: env.MONGO_DB || 'campaigns',
    simulator,
    adminApiKey: env.ADMIN_API_KEY || DEV_ADMIN_API_KEY,
  };
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
