import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findBinary } from './binaries';
import { LocalServer, LocalServerSpec, startLocalServer } from './local-server';
import { mongoReady } from './probes';

export type LocalFerretDbOptions = Pick<LocalServerSpec, 'preferredPort' | 'onLine' | 'onUnexpectedExit'> & {
  /** Directory of the SQLite files and FerretDB's state; created when missing. */
  dataDir: string;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
};

/**
 * Starts FerretDB (MongoDB wire protocol over SQLite) from PATH. Its debug/metrics listener
 * is off so that parallel instances don't fight over its fixed default port 8088.
 */
export async function startLocalFerretDb(options: LocalFerretDbOptions): Promise<LocalServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  return startLocalServer({
    ...options,
    name: 'ferretdb',
    binary: findBinary('ferretdb'),
    args: (port) => [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      `--log-level=${options.logLevel ?? 'WARN'}`,
    ],
    url: (port) => `mongodb://127.0.0.1:${port}/`,
    ready: mongoReady,
  });
}
