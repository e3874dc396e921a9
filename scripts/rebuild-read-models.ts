// `npm run rebuild -- <service>`: drops the read models of a stopped service (its MongoDB collections
// and durable consumers), so that starting it again rebuilds them from the streams.
// Uses NATS_URL, NATS_NAMESPACE, MONGO_URL and MONGO_DB like the services.
import { loadConfig, mongoEnv, natsEnv } from '../libs/config/env';
import { dropReadModels, READ_MODELS, RebuildableService } from './rebuild/read-models';

async function main(): Promise<number> {
  const service = process.argv[2] as RebuildableService;
  if (!(service in READ_MODELS)) {
    console.error(`usage: npm run rebuild -- <${Object.keys(READ_MODELS).join('|')}>`);
    return 2;
  }
  const config = loadConfig({ ...natsEnv, ...mongoEnv }, process.env);
  const dropped = await dropReadModels(service, {
    natsUrl: config.NATS_URL,
    natsNamespace: config.NATS_NAMESPACE,
    mongoUrl: config.MONGO_URL,
    mongoDb: config.MONGO_DB,
  });
  dropped.forEach((d) => console.log(`dropped ${d}`));
  console.log(`start ${service} again: it rebuilds its read models from the streams`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
