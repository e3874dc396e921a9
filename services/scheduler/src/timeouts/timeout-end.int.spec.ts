import { CallEnded, CallRequested, CallRequestedV1 } from '@contracts/calls/events';
import { encodeEvent } from '@libs/event-store/codec';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { NatsContext, openNats } from '@libs/nats/nats-context';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { publishTimeoutEnd } from './timeout-end';

const requested = (callId: string): CallRequested => ({
  id: `req-${callId}`,
  type: CallRequestedV1.type,
  version: CallRequestedV1.version,
  occurredAt: new Date().toISOString(),
  data: { callId, campaignId: 'c1', contactId: 'ct1', attempt: 1, clientId: 'k1', from: '+14155550000', to: '+14155550100', requestedAt: new Date().toISOString() },
  metadata: { aggregateId: 'ct1', campaignId: 'c1', clientId: 'k1', correlationId: 'x' },
});

/** The scheduler's timeout end on a real CALLS stream: never a second end for a call that has one. */
describe('publishTimeoutEnd (real NATS JetStream)', () => {
  let nats: NatsContext;
  beforeAll(async () => {
    nats = await openNats({ url: testNatsUrl(), name: 'timeout-end-test', namespace: uniqueName('timeout'), replicas: 1 });
  });
  afterAll(async () => {
    await nats.nc.close();
  });

  async function endsOf(callId: string): Promise<CallEnded[]> {
    const store = new JetStreamEventStore(nats.js, nats.jsm, nats.subjects.streams.calls);
    return (await store.read<CallEnded>(nats.subjects.callEvent('c1', callId, 'ended'))).events;
  }

  it('ends a call that has no end as timeout, once', async () => {
    expect(await publishTimeoutEnd(nats.js, nats.subjects, requested('a-a1'))).toBe(true);
    expect(await publishTimeoutEnd(nats.js, nats.subjects, requested('a-a1'))).toBe(false);
    const ends = await endsOf('a-a1');
    expect(ends.map((e) => [e.data.outcome, e.data.failureReason])).toEqual([['timeout', 'no_final_callback']]);
  });

  it('leaves the real end of a call alone, also once the duplicate window is past', async () => {
    // A real end stored long ago: its message id is no longer in the stream's duplicate window, which
    // a different id stands in for here.
    const real: CallEnded = {
      ...requested('b-a1'),
      id: 'b-a1:ended',
      type: 'CallEnded',
      data: { callId: 'b-a1', campaignId: 'c1', contactId: 'ct1', attempt: 1, clientId: 'k1', outcome: 'completed', endedAt: new Date().toISOString() },
    } as CallEnded;
    await nats.js.publish(nats.subjects.callEvent('c1', 'b-a1', 'ended'), encodeEvent(real), { msgID: 'outside-the-window' });
    expect(await publishTimeoutEnd(nats.js, nats.subjects, requested('b-a1'))).toBe(false);
    // Within the window, the same message id as the real end.
    await nats.js.publish(nats.subjects.callEvent('c1', 'c-a1', 'ended'), encodeEvent({ ...real, data: { ...real.data, callId: 'c-a1' } }), { msgID: 'c-a1:ended' });
    expect(await publishTimeoutEnd(nats.js, nats.subjects, requested('c-a1'))).toBe(false);
    expect((await endsOf('b-a1')).map((e) => e.data.outcome)).toEqual(['completed']);
    expect((await endsOf('c-a1')).map((e) => e.data.outcome)).toEqual(['completed']);
  });
});
