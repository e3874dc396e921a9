import { mkdirSync } from 'node:fs';
import { findBinary } from './binaries';
import { LocalServer, LocalServerSpec, startLocalServer } from './local-server';
import { natsReady } from './probes';

export type LocalNatsOptions = Pick<LocalServerSpec, 'preferredPort' | 'onLine' | 'onUnexpectedExit' | 'detached'> & {
  /** JetStream store directory; created when missing. */
  storeDir: string;
};

/** Starts `nats-server` from PATH with JetStream, bound to 127.0.0.1 without monitoring. */
export async function startLocalNats(options: LocalNatsOptions): Promise<LocalServer> {
  mkdirSync(options.storeDir, { recursive: true });
  return startLocalServer({
    ...options,
    name: 'nats',
    binary: findBinary('nats-server'),
    args: (port) => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', options.storeDir],
    url: (port) => `nats://127.0.0.1:${port}`,
    ready: natsReady,
  });
}
