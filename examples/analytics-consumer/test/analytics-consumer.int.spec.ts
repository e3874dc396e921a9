// The example consumer against a real NATS JetStream and a real MongoDB-wire server: CallEnded events
// in, per-hour outcome counts out; duplicates, republished ends, redeliveries and restarts count once.
import { MongoClient } from 'mongodb';
import { connect, NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';
import pino from 'pino';
import { testMongoUrl, testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { waitFor } from '@libs/testing/wait-for';
import { EndedCall } from '../src/call-ended';
import { CallEndedConsumer } from '../src/call-ended-consumer';
import { OutcomeStore } from '../src/outcome-store';

const log = pino({ level: 'silent' });

describe('analytics consumer: hourly outcomes from CallEnded events', () => {
  let nc: NatsConnection;
  let mongo: MongoClient;
  let namespace: string;
  let store: OutcomeStore;
  let consumer: CallEndedConsumer | undefined;

  const subject = (callId: string, kind = 'ended') => `${namespace}.call.camp1.${callId}.${kind}`;
  const event = (callId: string, outcome: string, endedAt: string, over: Record<string, unknown> = {}) => ({
    id: `${callId}:ended`,
    type: 'CallEnded',
    version: 1,
    occurredAt: endedAt,
    data: { callId, campaignId: 'camp1', contactId: callId.split('-')[0], attempt: 1, clientId: 'client1', outcome, endedAt },
    metadata: { aggregateId: callId.split('-')[0], clientId: 'client1', campaignId: 'camp1', correlationId: 'corr' },
    ...over,
  });
  const publish = (subj: string, body: unknown, msgID: string) =>
    nc.jetstream().publish(subj, typeof body === 'string' ? body : JSON.stringify(body), { msgID });
  const drained = (durable: string) =>
    waitFor(
      async () => {
        const info = await (await nc.jetstreamManager()).consumers.info(`${namespace}_CALLS`, durable);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 15_000, intervalMs: 50, description: 'the consumer to ack everything' },
    );
  const startConsumer = async (durable: string, withStore: OutcomeStore = store) => {
    consumer = new CallEndedConsumer(nc, withStore, { namespace, durableName: durable, retryDelayMs: 100 }, log);
    await consumer.start();
    return consumer;
  };

  beforeEach(async () => {
    namespace = uniqueName('an');
    nc = await connect({ servers: testNatsUrl() });
    // What the platform creates (contracts/README.md): CALLS, subjects call.>, 30 min duplicate window.
    await (await nc.jetstreamManager()).streams.add({
      name: `${namespace}_CALLS`,
      subjects: [`${namespace}.call.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(30 * 60_000),
    });
    mongo = await new MongoClient(testMongoUrl()).connect();
    store = new OutcomeStore(mongo.db(uniqueName('analytics')));
    await store.ensureIndexes();
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await (await nc.jetstreamManager()).streams.delete(`${namespace}_CALLS`).catch(() => undefined);
    await nc.close();
    await mongo.close();
  });

  it('counts outcomes per hour; duplicates, republished ends, other events and bad messages do not count', async () => {
    await publish(subject('k1-a1'), event('k1-a1', 'completed', '2026-11-20T10:15:00.000Z'), 'k1-a1:ended');
    await publish(subject('k1-a1'), event('k1-a1', 'completed', '2026-11-20T10:15:00.000Z'), 'k1-a1:ended'); // JetStream drops it
    await publish(subject('k2-a1'), event('k2-a1', 'busy', '2026-11-20T10:40:00.000Z'), 'k2-a1:ended');
    await publish(subject('k2-a1'), event('k2-a1', 'busy', '2026-11-20T10:40:00.000Z'), 'k2-a1:ended-again'); // stored twice
    await publish(subject('k3-a1'), event('k3-a1', 'completed', '2026-11-20T11:05:00.000Z'), 'k3-a1:ended');
    await publish(subject('k4-a2'), event('k4-a2', 'voicemail', '2026-11-20T11:59:59.000Z'), 'k4-a2:ended');
    await publish(subject('k5-a1'), event('k5-a1', 'no-answer', '2026-11-20T10:01:00.000Z', { version: 2 }), 'k5-a1:ended-v2');
    await publish(subject('k6-a1'), '{garbage', 'garbage');
    await publish(subject('k1-a1', 'ringing'), { ...event('k1-a1', 'completed', '2026-11-20T10:14:00.000Z'), type: 'CallRinging' }, 'k1-a1:ringing');

    await startConsumer('hourly');
    await drained('hourly');
    expect(await store.hourlyCounts()).toEqual({
      '2026-11-20T10:00Z': { completed: 1, busy: 1 },
      '2026-11-20T11:00Z': { completed: 1, voicemail: 1 },
    });
  });

  it('counts a message redelivered after a crash between the write and the ack once', async () => {
    const attempts: string[] = [];
    let crashAfterWrite = true;
    const crashing = new (class extends OutcomeStore {
      override async record(call: EndedCall): Promise<boolean> {
        attempts.push(call.callId);
        const isNew = await super.record(call);
        if (call.callId === 'k7-a1' && crashAfterWrite) {
          crashAfterWrite = false;
          throw new Error('lost the connection after writing');
        }
        return isNew;
      }
    })(mongo.db(uniqueName('analytics')));
    await crashing.ensureIndexes();
    await publish(subject('k7-a1'), event('k7-a1', 'failed', '2026-11-20T09:30:00.000Z'), 'k7-a1:ended');
    await publish(subject('k8-a1'), event('k8-a1', 'failed', '2026-11-20T09:31:00.000Z'), 'k8-a1:ended');

    await startConsumer('crashy', crashing);
    await drained('crashy');
    expect(attempts.filter((id) => id === 'k7-a1')).toHaveLength(2);
    expect(await crashing.hourlyCounts()).toEqual({ '2026-11-20T09:00Z': { failed: 2 } });
  });

  it('resumes where it stopped after a restart, without counting anything twice', async () => {
    await publish(subject('k1-a1'), event('k1-a1', 'completed', '2026-11-20T10:15:00.000Z'), 'k1-a1:ended');
    await startConsumer('durable');
    await drained('durable');
    await consumer!.stop();

    await publish(subject('k2-a1'), event('k2-a1', 'completed', '2026-11-20T10:20:00.000Z'), 'k2-a1:ended');
    await publish(subject('k3-a1'), event('k3-a1', 'timeout', '2026-11-20T12:00:00.000Z'), 'k3-a1:ended');
    await startConsumer('durable');
    await drained('durable');
    expect(await store.hourlyCounts()).toEqual({ '2026-11-20T10:00Z': { completed: 2 }, '2026-11-20T12:00Z': { timeout: 1 } });
    expect(await store.hourlyCounts({ fromHour: '2026-11-20T11:00Z' })).toEqual({ '2026-11-20T12:00Z': { timeout: 1 } });
    expect(await store.hourlyCounts({ clientId: 'someone-else' })).toEqual({});
  });
});
