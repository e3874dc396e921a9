import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findBinary } from '../../libs/testing/binaries';
import { startLocalFerretDb } from '../../libs/testing/ferretdb';
import { startLocalNats } from '../../libs/testing/nats-server';
import { childOptions, log } from './output';

export interface Infra {
  natsUrl: string;
  mongoUrl: string;
  stop(): Promise<void>;
}

/** Runs scripts/install-tools.sh when a binary the local infrastructure needs is missing. */
function ensureTools(root: string, names: string[]): void {
  const missing = names.filter((name) => {
    try {
      findBinary(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  log(`${missing.join(' and ')} not found: running scripts/install-tools.sh`);
  const install = spawnSync('bash', [join(root, 'scripts', 'install-tools.sh')], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('scripts/install-tools.sh failed; see its output above');
}

/**
 * NATS_URL / MONGO_URL when set; otherwise nats-server and FerretDB on ports 4222 / 27017 (or
 * free ones) with their data under <repo>/.data/.
 */
export async function startInfra(root: string, env: NodeJS.ProcessEnv): Promise<Infra> {
  ensureTools(root, [...(env.NATS_URL ? [] : ['nats-server']), ...(env.MONGO_URL ? [] : ['ferretdb'])]);
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.reverse()) await stopOne();
  };
  try {
    let natsUrl = env.NATS_URL;
    if (natsUrl) {
      log(`using NATS at ${natsUrl}`);
    } else {
      const storeDir = join(root, '.data', 'nats');
      const nats = await startLocalNats({ storeDir, preferredPort: 4222, ...childOptions });
      stops.push(nats.stop);
      natsUrl = nats.url;
      log(`started nats-server (JetStream) at ${natsUrl}, data in ${storeDir}`);
    }
    let mongoUrl = env.MONGO_URL;
    if (mongoUrl) {
      log(`using MongoDB at ${mongoUrl}`);
    } else {
      const dataDir = join(root, '.data', 'ferretdb');
      const ferret = await startLocalFerretDb({ dataDir, preferredPort: 27017, ...childOptions });
      stops.push(ferret.stop);
      mongoUrl = ferret.url;
      log(`started FerretDB (MongoDB wire) at ${mongoUrl}, data in ${dataDir}`);
    }
    return { natsUrl, mongoUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
