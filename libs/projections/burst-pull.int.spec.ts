import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, connect, JetStreamClient, JetStreamManager, JsMsg, NatsConnection, StorageType } from 'nats';
import pino from 'pino';
import { testNatsUrl, uniqueName } from '../testing/test-env';
import { waitFor } from '../testing/wait-for';
import { BurstPull } from './burst-pull';
import { DurableConsumer } from './durable-consumer';

const log = pino({ level: 'silent' });
const encode = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const amountOf = (m: JsMsg) => (JSON.parse(new TextDecoder().decode(m.data)) as { amount: number }).amount;

describe('BurstPull (real NATS)', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const stream = uniqueName('BURST');

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    js = nc.jetstream();
    jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File });
  });
  afterAll(async () => {
    await nc?.close();
  });

  async function burstPull(subject: string, intervalMs: number) {
    const durable = uniqueName('d');
    await jsm.consumers.add(stream, { durable_name: durable, filter_subject: `${stream}.${subject}`, ack_policy: AckPolicy.Explicit });
    const pull = new BurstPull(js, await js.consumers.get(stream, durable), { stream, durable }, { intervalMs, maxBurst: 1000 }, log);
    const bursts: number[][] = [];
    const reading = (async () => {
      for await (const burst of pull.arrivals()) {
        bursts.push(burst.map(amountOf));
        burst.forEach((m) => m.ack());
      }
    })();
    return { pull, durable, bursts, reading };
  }

  it('holds messages on the server while they keep coming and takes them in one reply', async () => {
    const { pull, bursts, reading } = await burstPull('apart', 300);
    for (let i = 0; i < 5; i++) {
      await js.publish(`${stream}.apart`, encode({ amount: i }));
      await sleep(20);
    }
    await waitFor(() => bursts.flat().length === 5, { timeoutMs: 10_000, description: 'five messages' });
    pull.stop();
    await reading;
    // consume() would have handed over each message as it was stored: [[0], [1], [2], [3], [4]].
    expect(bursts).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('waits with one open pull once quiet, wakes for the next message, and stops at once', async () => {
    const { pull, bursts, reading } = await burstPull('quiet', 100);
    await js.publish(`${stream}.quiet`, encode({ amount: 1 }));
    await waitFor(() => bursts.length === 1, { timeoutMs: 10_000, description: 'the first burst' });
    await sleep(1_500); // quiet: the pulls found nothing, one pull now waits
    const publishedAt = Date.now();
    await js.publish(`${stream}.quiet`, encode({ amount: 2 }));
    await waitFor(() => bursts.length === 2, { timeoutMs: 10_000, description: 'the second burst' });
    expect(Date.now() - publishedAt).toBeLessThan(1_000);
    const stopping = Date.now();
    pull.stop();
    await reading;
    expect(Date.now() - stopping).toBeLessThan(1_000);
    expect(bursts).toEqual([[1], [2]]);
  });

  it('hands back a message it holds when stopped, for another instance to take at once', async () => {
    const { pull, durable, bursts, reading } = await burstPull('handback', 2_000);
    await js.publish(`${stream}.handback`, encode({ amount: 7 }));
    await waitFor(async () => (await jsm.consumers.info(stream, durable)).num_ack_pending === 1, { timeoutMs: 10_000, description: 'the message taken' });
    pull.stop();
    await reading;
    expect(bursts).toEqual([]);
    const other = await (await js.consumers.get(stream, durable)).next({ expires: 2_000 });
    expect(other && amountOf(other)).toBe(7);
    other?.ack();
  });

  it('drives a DurableConsumer: every message handled once, with failures redelivered and fewer acks pending than messages', async () => {
    const subject = `${stream}.deposits`;
    for (let i = 0; i < 60; i++) await js.publish(subject, encode({ amount: i }));
    const handled = new Map<number, number>();
    let failOnce = true;
    const consumer = new DurableConsumer<{ amount: number }>(
      { js, jsm },
      { stream, durable: uniqueName('d'), filterSubjects: [subject], concurrency: 4, maxAckPending: 10, burstIntervalMs: 50, ackWaitMs: 2_000 },
      log,
    );
    await consumer.start(async ({ event }) => {
      if (failOnce && event.amount === 5) {
        failOnce = false;
        throw new Error('transient');
      }
      handled.set(event.amount, (handled.get(event.amount) ?? 0) + 1);
    });
    await waitFor(() => handled.size === 60, { timeoutMs: 20_000, description: '60 messages handled' });
    await consumer.stop();
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
  });
});
