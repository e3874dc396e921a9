import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalFerretDb } from './ferretdb';
import type { LineSink } from './managed-process';
import { startLocalNats } from './nats-server';
import type { TestServers } from './servers-types';

export interface LocalServersOptions {
  onLine?: LineSink;
}

/**
 * Starts nats-server and FerretDB from PATH on free ports, with their data in a fresh
 * temporary directory that stop() removes.
 */
export async function startLocalServers(options: LocalServersOptions = {}): Promise<TestServers> {
  const dataDir = mkdtempSync(join(tmpdir(), 'call-campaigns-test-'));
  const removeData = (): void => rmSync(dataDir, { recursive: true, force: true });
  const started = await Promise.allSettled([
    startLocalNats({ storeDir: join(dataDir, 'nats'), onLine: options.onLine }),
    startLocalFerretDb({ dataDir: join(dataDir, 'ferretdb'), onLine: options.onLine }),
  ]);
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
    removeData();
  };
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const [nats, mongo] = servers;
  return { natsUrl: nats.url, mongoUrl: mongo.url, stop };
}
