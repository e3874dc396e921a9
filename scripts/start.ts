// `npm start`: the whole stack as local processes (SPEC section 10). Uses NATS_URL / MONGO_URL
// when set, otherwise runs nats-server and FerretDB from PATH (installing them when missing)
// with data under .data/; runs the Plivo simulator unless PLIVO_API_URL is set.
// `--infra-only` starts just NATS and the MongoDB-wire server.
import { freePort } from '../libs/testing/free-port';
import { findRepoRoot } from '../libs/testing/repo-root';
import { startStack } from '../libs/testing/stack';
import { DEV_ADMIN_API_KEY, readConfig } from './start/config';
import { startInfra } from './start/infra';
import { childOptions, log, warn } from './start/output';

async function main(): Promise<number> {
  const root = findRepoRoot(__dirname);
  const config = readConfig(process.env, process.argv.slice(2));
  const shutdown = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shutdown.signal.aborted) {
      log(`${signal} again: still stopping (children get SIGKILL 10 s after SIGTERM)`);
      return;
    }
    log(`${signal}: stopping every process`);
    shutdown.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopped = new Promise<void>((resolve) => shutdown.signal.addEventListener('abort', () => resolve()));
  const cleanups: Array<() => Promise<void>> = [];
  let exitCode = 0;

  try {
    const infra = await startInfra(root, process.env);
    cleanups.push(infra.stop);
    shutdown.signal.throwIfAborted();
    if (config.infraOnly) {
      log(`infra ready: NATS_URL=${infra.natsUrl} MONGO_URL=${infra.mongoUrl} (Ctrl-C stops)`);
    } else {
      if (!process.env.ADMIN_API_KEY) warn(`ADMIN_API_KEY is not set; using the development key "${DEV_ADMIN_API_KEY}"`);
      const stack = await startStack({
        natsUrl: infra.natsUrl,
        mongoUrl: infra.mongoUrl,
        mongoDb: config.mongoDb,
        natsNamespace: process.env.NATS_NAMESPACE ?? '',
        gatewayPort: config.gatewayPort,
        trackingPort: config.trackingPort,
        simulator: config.simulator,
        simulatorPort: config.simulator ? await freePort(config.simulatorPort) : undefined,
        dialerReplicas: config.dialerReplicas,
        env: {
          ADMIN_API_KEY: config.adminApiKey,
          LOG_LEVEL: process.env.LOG_LEVEL || 'info',
          NATS_REPLICAS: process.env.NATS_REPLICAS,
          PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL,
          PLIVO_API_URL: process.env.PLIVO_API_URL,
          PLIVO_AUTH_ID: process.env.PLIVO_AUTH_ID,
          PLIVO_AUTH_TOKEN: process.env.PLIVO_AUTH_TOKEN,
        },
        ...childOptions,
        readyTimeoutMs: 120_000,
        signal: shutdown.signal,
      });
      cleanups.push(stack.stop);
      log(
        `ready: API ${stack.gatewayUrl}/api/v1 (health /api/v1/health), Plivo webhooks ${stack.env.PUBLIC_BASE_URL}` +
          (stack.simulatorUrl ? `, Plivo simulator ${stack.simulatorUrl}` : `, Plivo API ${stack.env.PLIVO_API_URL}`) +
          `, ${config.dialerReplicas} dialer(s), database ${stack.mongoDb}`,
      );
      const key = process.env.ADMIN_API_KEY ? '$ADMIN_API_KEY' : DEV_ADMIN_API_KEY;
      log(`create a client: curl -X POST -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' ` +
        `-d '{"name":"demo"}' ${stack.gatewayUrl}/api/v1/clients   (Ctrl-C stops everything)`);
    }
    await stopped;
  } catch (error) {
    warn(`start-up ${shutdown.signal.aborted ? 'interrupted' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`);
    if (!shutdown.signal.aborted) exitCode = 1;
  }
  for (const cleanup of cleanups.reverse()) await cleanup();
  log('stopped');
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    warn(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
