import { connect, NatsConnection, StorageType } from 'nats';
import { Collection, MongoClient } from 'mongodb';
import pino from 'pino';
import { testMongoUrl, testNatsUrl, uniqueName } from '../testing/test-env';
import { waitFor } from '../testing/wait-for';
import { DurableConsumer } from './durable-consumer';

const log = pino({ level: 'silent' });
const encode = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

/** A read model that counts deposits per account, guarded by stream sequence so replays change nothing. */
async function applyDeposit(col: Collection, e: { account: string; amount: number }, seq: number) {
  await col.updateOne({ _id: `${e.account}:${seq}` as never }, { $setOnInsert: { account: e.account, amount: e.amount } }, { upsert: true });
}

describe('DurableConsumer projections (real NATS + MongoDB-wire)', () => {
  let nc: NatsConnection;
  let mongo: MongoClient;
  const stream = uniqueName('PRJ');

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    mongo = await new MongoClient(testMongoUrl()).connect();
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File });
  });
  afterAll(async () => {
    await nc?.close();
    await mongo?.close();
  });

  it('resumes after a restart and applies every event once, even when handlers fail and redeliver', async () => {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const col = mongo.db(uniqueName('db')).collection('deposits');
    for (let i = 0; i < 40; i++) await js.publish(`${stream}.deposit`, encode({ account: 'a', amount: i }));

    let failOnce = true;
    const spec = { stream, durable: 'deposits', filterSubjects: [`${stream}.deposit`], concurrency: 4 };
    const first = new DurableConsumer<{ account: string; amount: number }>({ js, jsm }, spec, log);
    let handled = 0;
    await first.start(async ({ event, seq }) => {
      if (failOnce && seq === 5) {
        failOnce = false;
        throw new Error('transient');
      }
      await applyDeposit(col, event, seq);
      handled++;
    });
    await waitFor(() => handled >= 20, { timeoutMs: 20_000 });
    await first.stop();

    for (let i = 40; i < 60; i++) await js.publish(`${stream}.deposit`, encode({ account: 'a', amount: i }));
    const second = new DurableConsumer<{ account: string; amount: number }>({ js, jsm }, spec, log);
    await second.start(async ({ event, seq }) => applyDeposit(col, event, seq));
    await waitFor(async () => (await col.countDocuments()) === 60, { timeoutMs: 20_000, description: '60 deposits' });
    await second.stop();

    const docs = await col.find().toArray();
    expect(docs.map((d) => d.amount).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const info = await jsm.consumers.info(stream, 'deposits');
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('in batch mode handles what arrived meanwhile in one go, and a message that keeps failing fails alone', async () => {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const col = mongo.db(uniqueName('db')).collection('deposits');
    await Promise.all(Array.from({ length: 100 }, (_, i) => js.publish(`${stream}.batch`, encode({ account: 'b', amount: i }))));
    const sizes: number[] = [];
    const consumer = new DurableConsumer<{ account: string; amount: number }>({ js, jsm }, { stream, durable: 'batches', filterSubjects: [`${stream}.batch`], maxDeliver: 2 }, log);
    await consumer.startBatches(async (deliveries) => {
      sizes.push(deliveries.length);
      if (deliveries.some((d) => d.event.amount === 13)) throw new Error('a deposit that can never be applied');
      await col.bulkWrite(
        deliveries.map(({ event, seq }) => ({ updateOne: { filter: { _id: `${event.account}:${seq}` as never }, update: { $setOnInsert: event }, upsert: true } })),
      );
    });
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(stream, 'batches');
        return info.num_pending + info.num_ack_pending === 0;
      },
      { timeoutMs: 20_000, description: 'every message settled' },
    );
    await consumer.stop();

    const amounts = (await col.find().toArray()).map((d) => d.amount).sort((a, b) => a - b);
    expect(amounts).toEqual(Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 13));
    expect(Math.max(...sizes)).toBeGreaterThan(1);
  });

  it('with a linger, gathers messages published apart into one batch, and shows each as it arrives', async () => {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const batches: number[][] = [];
    const arrived: { amount: number; batchesSoFar: number }[] = [];
    const consumer = new DurableConsumer<{ account: string; amount: number }>({ js, jsm }, { stream, durable: 'lingering', filterSubjects: [`${stream}.linger`] }, log);
    await consumer.startBatches(async (deliveries) => void batches.push(deliveries.map((d) => d.event.amount)), {
      lingerMs: 300,
      onArrival: ({ event }) => arrived.push({ amount: event.amount, batchesSoFar: batches.length }),
    });
    for (let i = 0; i < 5; i++) {
      await js.publish(`${stream}.linger`, encode({ account: 'c', amount: i }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => batches.flat().length === 5, { timeoutMs: 10_000, description: 'five messages handled' });
    await consumer.stop();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(arrived).toEqual([0, 1, 2, 3, 4].map((amount) => ({ amount, batchesSoFar: 0 })));
  });
});
