import { Type } from '@sinclair/typebox';
import { defineEvent, EventOf } from '../envelope';

export const ClientRegisteredV1 = defineEvent({
  type: 'ClientRegistered',
  version: 1,
  subject: 'client.<clientId>.events',
  description: 'An operator registered a client (tenant). Only the SHA-256 hash of its API key is kept.',
  data: Type.Object({
    clientId: Type.String(),
    name: Type.String(),
    maxConcurrentCalls: Type.Integer({ minimum: 1 }),
    apiKeyHash: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  }),
});

export const ClientLimitsChangedV1 = defineEvent({
  type: 'ClientLimitsChanged',
  version: 1,
  subject: 'client.<clientId>.events',
  description: "The client's concurrent-call limit changed.",
  data: Type.Object({ clientId: Type.String(), maxConcurrentCalls: Type.Integer({ minimum: 1 }) }),
});

export type ClientRegistered = EventOf<typeof ClientRegisteredV1>;
export type ClientLimitsChanged = EventOf<typeof ClientLimitsChangedV1>;
export type ClientEvent = ClientRegistered | ClientLimitsChanged;
export const CLIENT_EVENT_CONTRACTS = [ClientRegisteredV1, ClientLimitsChangedV1];
