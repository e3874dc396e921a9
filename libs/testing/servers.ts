import { containerRuntimeAvailable, startContainerServers } from './container-servers';
import { startLocalServers } from './local-servers';
import type { LineSink } from './managed-process';
import type { TestServers } from './servers-types';

export { freePort } from './free-port';
export { waitFor, WaitAborted } from './wait-for';
export type { WaitForOptions } from './wait-for';
export type { TestServers } from './servers-types';

export type ServersMode = 'auto' | 'containers' | 'local';

export interface StartTestServersOptions {
  /** `auto` (default, or $TEST_SERVERS): containers when a Docker engine answers, else local binaries. */
  mode?: ServersMode;
  /** How long to wait for the Docker engine to answer in `auto` mode. */
  runtimeProbeTimeoutMs?: number;
  /** Output of locally spawned servers; discarded (but kept for error messages) by default. */
  onLine?: LineSink;
}

/**
 * Starts a NATS JetStream server and a MongoDB-wire server for tests: containers from
 * testcontainers where a Docker engine answers, otherwise nats-server and FerretDB from PATH
 * (see scripts/install-tools.sh) on free ports with data in a temporary directory.
 */
export async function startTestServers(options: StartTestServersOptions = {}): Promise<TestServers> {
  const mode = options.mode ?? parseMode(process.env.TEST_SERVERS);
  const useContainers =
    mode === 'containers' ||
    (mode === 'auto' && (await containerRuntimeAvailable(options.runtimeProbeTimeoutMs)));
  return useContainers ? startContainerServers() : startLocalServers({ onLine: options.onLine });
}

function parseMode(value: string | undefined): ServersMode {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'containers' || value === 'local') return value;
  throw new Error(`TEST_SERVERS must be auto, containers or local, not "${value}"`);
}
