import { mongoReady, natsReady } from './probes';
import type { TestServers } from './servers-types';
import { waitFor } from './wait-for';

// Pinned like docker-compose.yml: the tests run against what production runs.
export const NATS_IMAGE = 'nats:2.14.9';
export const MONGO_IMAGE = 'mongo:8.0.20';

/**
 * True when testcontainers finds a Docker engine that answers within `timeoutMs`. Loading
 * testcontainers itself can fail (testcontainers 12 needs Node >= 22.19), which counts as no.
 */
export async function containerRuntimeAvailable(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const probe = import('testcontainers')
    .then(({ getContainerRuntimeClient }) => getContainerRuntimeClient())
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts NATS (JetStream) and MongoDB containers; stop() removes them. */
export async function startContainerServers(): Promise<TestServers> {
  const { GenericContainer, Wait } = await import('testcontainers').catch((error: unknown) => {
    throw new Error(`cannot load testcontainers (it needs Node >= 22.19 from v12 on): ${String(error)}`);
  });
  const [nats, mongo] = await Promise.all([
    new GenericContainer(NATS_IMAGE)
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start(),
    new GenericContainer(MONGO_IMAGE)
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start(),
  ]);
  const natsUrl = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
  const mongoUrl = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/`;
  const stop = async (): Promise<void> => {
    await Promise.all([nats.stop(), mongo.stop()]);
  };
  try {
    await waitFor(() => natsReady(natsUrl), { timeoutMs: 30_000, description: `NATS at ${natsUrl}` });
    await waitFor(() => mongoReady(mongoUrl), { timeoutMs: 30_000, description: `MongoDB at ${mongoUrl}` });
  } catch (error) {
    await stop();
    throw error;
  }
  return { natsUrl, mongoUrl, stop };
}
