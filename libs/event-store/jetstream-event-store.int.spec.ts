import { connect, NatsConnection, RetentionPolicy, StorageType } from 'nats';
import { testNatsUrl, uniqueName } from '../testing/test-env';
import { Decider, DomainError } from '../decider/decider';
import { handleCommand } from './command-handler';
import { ConcurrencyError, JetStreamEventStore } from './jetstream-event-store';
import { EventEnvelope } from '@contracts/envelope';

type CounterEvent = EventEnvelope<'Incremented', { by: number }>;
type CounterCommand = { type: 'Increment'; id: string; max: number };

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (n, e) => n + e.data.by,
  decide: (c, n) => {
    if (n >= c.max) throw new DomainError('conflict', 'counter is full');
    return [
      {
        id: c.id,
        type: 'Incremented',
        version: 1,
        occurredAt: new Date().toISOString(),
        data: { by: 1 },
        metadata: { aggregateId: 'a', clientId: 'c', correlationId: c.id, causationId: c.id },
      },
    ];
  },
};

const event = (id: string): CounterEvent => ({
  id,
  type: 'Incremented',
  version: 1,
  occurredAt: new Date().toISOString(),
  data: { by: 1 },
  metadata: { aggregateId: 'a', clientId: 'c', correlationId: id },
});

describe('JetStreamEventStore (real NATS JetStream)', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let stream: string;

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    stream = uniqueName('ES');
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits });
    store = new JetStreamEventStore(nc.jetstream(), jsm, stream);
  });
  afterAll(async () => nc?.close());

  it('appends and reads back an aggregate, isolated from other subjects', async () => {
    const a = `${stream}.agg.a1`;
    const rev = await store.append(a, [event('e1'), event('e2')], 0);
    await store.append(`${stream}.agg.other`, [event('x1')], 0);
    const read = await store.read<CounterEvent>(a);
    expect(read.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(read.revision).toBe(rev);
    expect((await store.read(a, rev)).events).toEqual([]);
  });

  it('refuses an append at a stale revision', async () => {
    const a = `${stream}.agg.a2`;
    await store.append(a, [event('s1')], 0);
    await expect(store.append(a, [event('s2')], 0)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.read(a)).events).toHaveLength(1);
  });

  it('does not apply a command again whose events are stored already (given its commandId)', async () => {
    const a = `${stream}.agg.once`;
    const first = await handleCommand(store, counter, a, { type: 'Increment', id: 'cmd-1', max: 5 }, { commandId: 'cmd-1' });
    expect(first.events).toHaveLength(1);
    // Sent again after the duplicate window, with a fresh event id: still recognised by its command id.
    const again = await handleCommand(store, counter, a, { type: 'Increment', id: 'cmd-1-later', max: 5 }, { commandId: 'cmd-1' });
    expect(again).toEqual({ events: [], state: 1, revision: first.revision });
    await handleCommand(store, counter, a, { type: 'Increment', id: 'cmd-2', max: 5 }, { commandId: 'cmd-2' });
    expect((await store.read(a)).events.map((e) => e.id)).toEqual(['cmd-1', 'cmd-2']);
  });

  it('drops a retried publish of the same event id (Nats-Msg-Id)', async () => {
    const a = `${stream}.agg.a3`;
    const rev = await store.append(a, [event('d1')], 0);
    await store.append(a, [event('d1')], rev).catch(() => undefined);
    expect((await store.read(a)).events.map((e) => e.id)).toEqual(['d1']);
  });

  it('decides concurrent commands on fresh state: never more events than the invariant allows', async () => {
    const a = `${stream}.agg.counter`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => handleCommand(store, counter, a, { type: 'Increment', id: `c${i}`, max: 5 }, { retries: 50 })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as DomainError).kind === 'conflict').length;
    expect(ok).toBe(5);
    expect(refused).toBe(15);
    const { events } = await store.read<CounterEvent>(a);
    expect(events).toHaveLength(5);
  });
});
