import { Type } from '@sinclair/typebox';
import { defineEvent, EventOf } from '../envelope';

const IsoTime = Type.String({ format: 'date-time' });
/** Most numbers in one DoNotCallNumbersAdded / DoNotCallNumbersRemoved event. */
export const MAX_NUMBERS_PER_DNC_EVENT = 1000;

const numbers = Type.Array(Type.String({ description: 'E.164' }), { maxItems: MAX_NUMBERS_PER_DNC_EVENT });

export const DoNotCallNumbersAddedV1 = defineEvent({
  type: 'DoNotCallNumbersAdded',
  version: 1,
  subject: 'dnc.<clientId>.events',
  description: "Numbers joined the client's do-not-call list: none of the client's campaigns calls them from now on.",
  data: Type.Object({ clientId: Type.String(), numbers, addedAt: IsoTime }),
});

export const DoNotCallNumbersRemovedV1 = defineEvent({
  type: 'DoNotCallNumbersRemoved',
  version: 1,
  subject: 'dnc.<clientId>.events',
  description: "Numbers left the client's do-not-call list.",
  data: Type.Object({ clientId: Type.String(), numbers, removedAt: IsoTime }),
});

/** Why a contact was not called. */
export const SKIP_REASONS = ['dnc'] as const;

export const ContactSkippedV1 = defineEvent({
  type: 'ContactSkipped',
  version: 1,
  subject: 'call.<campaignId>.<callId>.skipped',
  description:
    'A dialer took the attempt from the queue but did not call: the number is on the client\'s do-not-call list (reason `dnc`). ' +
    'No CallRequested, no Plivo call; the contact ends `skipped`. Message id <callId>:skipped.',
  data: Type.Object({
    callId: Type.String(),
    campaignId: Type.String(),
    contactId: Type.String(),
    attempt: Type.Integer({ minimum: 1 }),
    clientId: Type.String(),
    reason: Type.Union(SKIP_REASONS.map((r) => Type.Literal(r))),
    skippedAt: IsoTime,
  }),
});

export type DoNotCallNumbersAdded = EventOf<typeof DoNotCallNumbersAddedV1>;
export type DoNotCallNumbersRemoved = EventOf<typeof DoNotCallNumbersRemovedV1>;
export type DoNotCallEvent = DoNotCallNumbersAdded | DoNotCallNumbersRemoved;
export type ContactSkipped = EventOf<typeof ContactSkippedV1>;
export const DNC_EVENT_CONTRACTS = [DoNotCallNumbersAddedV1, DoNotCallNumbersRemovedV1, ContactSkippedV1];
