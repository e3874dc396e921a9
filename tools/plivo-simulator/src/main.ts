// Entry point: node dist/tools/plivo-simulator/src/main.js
import { ConfigError, configFromEnv } from './config';
import { createLogger } from './logger';
import { createSimulator } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger('info').fatal({ variable: error.field }, `invalid configuration: ${error.message}`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const simulator = createSimulator(config, { logger });
  const url = await simulator.listen(config.port, process.env.SIM_HOST);
  logger.info({ url, authId: config.authId, outcomes: config.outcomes, timeScale: config.timeScale }, `plivo simulator listening on ${url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, liveCalls: simulator.core.liveCalls }, 'stopping');
    // A hung socket must not keep the process past the promised second or two.
    setTimeout(() => process.exit(1), 1500).unref();
    void simulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  createLogger('info').fatal({ err: error }, 'plivo simulator failed to start');
  process.exit(1);
});
