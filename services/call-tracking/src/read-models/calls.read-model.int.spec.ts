import { MongoClient } from 'mongodb';
import { CallEvent } from '@contracts/calls/events';
import { testMongoUrl, uniqueName } from '@libs/testing/test-env';
import { CallsReadModel } from './calls.read-model';

const ids = { callId: 'k1-a1', campaignId: 'c1', contactId: 'k1', attempt: 1 };
const meta = { aggregateId: 'k1', campaignId: 'c1', clientId: 'cl', correlationId: 'x' };
const at = '2026-11-20T10:00:00.000Z';
const ev = (type: string, data: object): CallEvent => ({ id: `${type}`, type, version: 1, occurredAt: at, data: { ...ids, ...data }, metadata: meta }) as CallEvent;

const events: CallEvent[] = [
  ev('CallRequested', { clientId: 'cl', from: '+14155550100', to: '+14155552671', requestedAt: at }),
  ev('CallInitiated', { requestUuid: 'r1', initiatedAt: at }),
  ev('CallRinging', { callUuid: 'u1', ringingAt: at }),
  ev('CallAnswered', { callUuid: 'u1', answeredAt: at, machineDetected: false }),
  ev('CallEnded', { clientId: 'cl', outcome: 'completed', callUuid: 'u1', endedAt: at, duration: 12, hangupCause: 'NORMAL_CLEARING' }),
];

describe('CallsReadModel (real MongoDB-wire server)', () => {
  let mongo: MongoClient;
  beforeAll(async () => {
    mongo = await new MongoClient(testMongoUrl()).connect();
  });
  afterAll(async () => mongo?.close());

  it('gives the same call whatever the order and number of deliveries; a late ringing never hides the outcome', async () => {
    const inOrder = new CallsReadModel(mongo.db(uniqueName('calls')));
    for (const e of events) await inOrder.applyAll([e]);
    const shuffled = new CallsReadModel(mongo.db(uniqueName('calls')));
    for (const e of [events[4], events[2], events[0], events[4], events[3], events[1], events[2]]) await shuffled.applyAll([e]);

    // Delivered in batches (as the projection does): one upsert per call and batch.
    const batched = new CallsReadModel(mongo.db(uniqueName('calls')));
    await batched.applyAll([events[4], events[2]]);
    await batched.applyAll([events[0], events[4], events[3], events[1], events[2]]);

    const a = await inOrder.list('cl', 'c1', 1, 10);
    const b = await shuffled.list('cl', 'c1', 1, 10);
    expect(a.total).toBe(1);
    expect(b).toEqual(a);
    expect(await batched.list('cl', 'c1', 1, 10)).toEqual(a);
    expect(a.items[0]).toMatchObject({ callId: 'k1-a1', status: 'completed', callUuid: 'u1', requestUuid: 'r1', duration: 12, to: '+14155552671' });
  });

  it('shows the furthest stage of a call still in progress', async () => {
    const model = new CallsReadModel(mongo.db(uniqueName('calls')));
    for (const e of [events[2], events[0]]) await model.applyAll([e]);
    expect((await model.list('cl', 'c1', 1, 10)).items[0].status).toBe('ringing');
  });
});
