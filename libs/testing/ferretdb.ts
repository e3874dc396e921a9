import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findBinary } from './binaries';
import { LocalServer, LocalServerSpec, startLocalServer } from './local-server';
import { mongoReady } from './probes';
import { startWriteSerializingProxy } from './write-serializing-proxy';

export type LocalFerretDbOptions = Pick<LocalServerSpec, 'preferredPort' | 'onLine' | 'onUnexpectedExit' | 'detached'> & {
  /** Directory of the SQLite files and FerretDB's state; created when missing. */
  dataDir: string;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
};

/**
 * Starts FerretDB (MongoDB wire protocol over SQLite) from PATH, behind a proxy that makes
 * its writes atomic (see write-serializing-proxy.ts); the returned URL is the proxy's.
 */
export async function startLocalFerretDb(options: LocalFerretDbOptions): Promise<LocalServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const ferret = await startLocalServer({
    name: 'ferretdb',
    binary: findBinary('ferretdb'),
    args: (port) => [
      '--handler=sqlite',
      // BEGIN IMMEDIATE: a write transaction waits for the lock (busy_timeout) instead of
      // failing with SQLITE_BUSY when another one committed since it started reading.
      // synchronous=NORMAL: no fsync per commit (WAL still survives a process crash); this
      // server is for tests and development, and it makes writes ~1.6x faster.
      `--sqlite-url=file:${dataDir}/?_txlock=immediate&_pragma=synchronous(normal)`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      // Off, so that parallel instances don't fight over its fixed default port 8088.
      '--debug-addr=-',
      '--telemetry=disable',
      `--log-level=${options.logLevel ?? 'ERROR'}`,
    ],
    url: (port) => `mongodb://127.0.0.1:${port}/`,
    ready: mongoReady,
    onLine: options.onLine,
    onUnexpectedExit: options.onUnexpectedExit,
    detached: options.detached,
  });
  try {
    const proxy = await startWriteSerializingProxy(ferret.port, options.preferredPort).catch(() =>
      startWriteSerializingProxy(ferret.port),
    );
    return {
      url: `mongodb://127.0.0.1:${proxy.port}/`,
      port: proxy.port,
      process: ferret.process,
      stop: async () => {
        await proxy.close();
        await ferret.stop();
      },
    };
  } catch (error) {
    await ferret.stop();
    throw error;
  }
}
