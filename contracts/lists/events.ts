import { Type } from '@sinclair/typebox';
import { ContactSchema } from '../campaigns/events';
import { defineEvent, EventOf } from '../envelope';

export const ContactListCreatedV1 = defineEvent({
  type: 'ContactListCreated',
  version: 1,
  subject: 'list.<listId>.events',
  description: 'A client created a reusable contact list.',
  data: Type.Object({
    listId: Type.String(),
    clientId: Type.String(),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  }),
});

export const ListContactsAddedV1 = defineEvent({
  type: 'ListContactsAdded',
  version: 1,
  subject: 'list.<listId>.contacts',
  description:
    'A batch (at most 500) of validated, E.164-normalised contacts joined the list; a number is in a list once. ' +
    '`contactId` is stable per list and number. A campaign created with this list takes the contacts as ContactsAdded batches of its own.',
  data: Type.Object({
    listId: Type.String(),
    batchId: Type.String(),
    contacts: Type.Array(ContactSchema),
  }),
});

export type ContactListCreated = EventOf<typeof ContactListCreatedV1>;
export type ListContactsAdded = EventOf<typeof ListContactsAddedV1>;
/** Events of the list aggregate stream (`list.<id>.events`). */
export type ContactListEvent = ContactListCreated;
export const LIST_EVENT_CONTRACTS = [ContactListCreatedV1, ListContactsAddedV1];
