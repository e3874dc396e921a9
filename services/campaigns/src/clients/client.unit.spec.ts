import { ClientLimitsChangedV1, ClientRegisteredV1 } from '@contracts/clients/events';
import { spec } from '@libs/decider/given-when-then';
import { makeEvent } from '@libs/event-store/make-event';
import { clientDecider } from './client';

const metadata = { commandId: 'k1', correlationId: 'c', now: '2026-11-20T10:00:00.000Z', by: 'admin' };
const ids = { aggregateId: 'cl1', clientId: 'cl1' };
const registration = { clientId: 'cl1', name: 'Acme', maxConcurrentCalls: 10, apiKeyHash: 'h' };
const registered = makeEvent(ClientRegisteredV1, { ...registration, createdAt: metadata.now }, metadata, ids);

describe('client decider', () => {
  const client = spec(clientDecider);
  it('registers a client', () => client.given([]).when({ type: 'RegisterClient', data: registration, metadata }).then([registered]));
  it('refuses a second registration', () =>
    client.given([registered]).when({ type: 'RegisterClient', data: registration, metadata }).thenRefuses('conflict'));
  it('changes the limit', () =>
    client
      .given([registered])
      .when({ type: 'ChangeClientLimits', data: { clientId: 'cl1', maxConcurrentCalls: 20 }, metadata })
      .then([makeEvent(ClientLimitsChangedV1, { clientId: 'cl1', maxConcurrentCalls: 20 }, metadata, ids)]));
  it('ignores an unchanged limit', () =>
    client
      .given([registered])
      .when({ type: 'ChangeClientLimits', data: { clientId: 'cl1', maxConcurrentCalls: 10 }, metadata })
      .then([]));
  it('refuses limits of an unknown client', () =>
    client
      .given([])
      .when({ type: 'ChangeClientLimits', data: { clientId: 'cl1', maxConcurrentCalls: 10 }, metadata })
      .thenRefuses('not-found'));
});
