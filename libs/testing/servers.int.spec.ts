import { MongoClient } from 'mongodb';
import { connect, StringCodec } from 'nats';
import { mongoReady, natsReady } from './probes';
import { startTestServers, TestServers } from './servers';
import { testMongoUrl, testNatsUrl, uniqueName } from './test-env';

const sc = StringCodec();

describe('startTestServers', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers();
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it('serves JetStream: publish with a message id, read back, dedupe a retry', async () => {
    const nc = await connect({ servers: servers.natsUrl });
    try {
      const stream = uniqueName('S');
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
      const js = nc.jetstream();

      const first = await js.publish(`${stream}.a`, sc.encode('hello'), { msgID: 'm-1' });
      const retry = await js.publish(`${stream}.a`, sc.encode('hello'), { msgID: 'm-1' });

      expect(retry.duplicate).toBe(true);
      expect(retry.seq).toBe(first.seq);
      const stored = await jsm.streams.getMessage(stream, { seq: first.seq });
      expect(sc.decode(stored.data)).toBe('hello');
      expect((await jsm.streams.info(stream)).state.messages).toBe(1);
    } finally {
      await nc.close();
    }
  });

  it('serves MongoDB: insert and find', async () => {
    const client = new MongoClient(servers.mongoUrl);
    try {
      await client.connect();
      const calls = client.db(uniqueName('db')).collection<{ callUuid: string; status: string }>('calls');
      await calls.insertOne({ callUuid: 'c-1', status: 'ringing' });

      const found = await calls.findOne({ callUuid: 'c-1' }, { projection: { _id: 0 } });

      expect(found).toEqual({ callUuid: 'c-1', status: 'ringing' });
    } finally {
      await client.close();
    }
  });

  it('applies concurrent updates of one document atomically, as MongoDB does', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => new MongoClient(servers.mongoUrl).connect()));
    try {
      const db = uniqueName('db');
      const counters = (client: MongoClient) => client.db(db).collection<{ _id: string; n: number }>('counters');
      await counters(clients[0]).insertOne({ _id: 'calls', n: 0 });

      await Promise.all(
        clients.flatMap((client) =>
          Array.from({ length: 20 }, () => counters(client).updateOne({ _id: 'calls' }, { $inc: { n: 1 } })),
        ),
      );

      expect(await counters(clients[0]).findOne({ _id: 'calls' })).toEqual({ _id: 'calls', n: 60 });
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('stop() shuts both servers down', async () => {
    const { natsUrl, mongoUrl } = servers;
    await servers.stop();

    await expect(natsReady(natsUrl)).rejects.toThrow();
    await expect(mongoReady(mongoUrl)).rejects.toThrow();
  });
});

describe('global-setup servers', () => {
  it('are reachable through TEST_NATS_URL and TEST_MONGO_URL', async () => {
    await expect(natsReady(testNatsUrl())).resolves.toBe(true);
    await expect(mongoReady(testMongoUrl())).resolves.toBe(true);
  });
});
