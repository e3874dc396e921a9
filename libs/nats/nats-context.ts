import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { Subjects } from '@contracts/subjects';
import { Buckets, ensureBuckets, ensureStreams, streamConfigs } from './topology';

/** One NATS connection with its JetStream handles, the name resolver and the KV buckets. */
export interface NatsContext {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: Subjects;
  buckets: Buckets;
}

export interface NatsSettings {
  url: string;
  name: string;
  namespace?: string;
  replicas: number;
}

export async function openNats(settings: NatsSettings): Promise<NatsContext> {
  const nc = await connect({
    servers: settings.url.split(','),
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // Otherwise every request builds two Error objects (stack traces) up front, used only if it fails:
    // with the hundreds of KV and JetStream requests per second of a busy dialer, that is a fifth of its CPU.
    noAsyncTraces: true,
  });
  const jsm = await nc.jetstreamManager();
  const subjects = new Subjects(settings.namespace ?? '');
  await ensureStreams(jsm, streamConfigs(subjects, settings.replicas));
  const buckets = await ensureBuckets(nc, subjects, settings.replicas);
  return { nc, js: nc.jetstream(), jsm, subjects, buckets };
}
