import { ContactListCreatedV1 } from '@contracts/lists/events';
import { DomainError } from '@libs/decider/decider';
import { fold } from '@libs/decider/decider';
import { spec } from '@libs/decider/given-when-then';
import { makeEvent } from '@libs/event-store/make-event';
import { contactListDecider, ownedList } from './contact-list';

const metadata = { commandId: 'k1', correlationId: 'c', now: '2026-11-20T10:00:00.000Z', by: 'cl1' };
const data = { listId: 'l1', clientId: 'cl1', name: 'Renewals' };
const created = makeEvent(ContactListCreatedV1, { ...data, createdAt: metadata.now }, metadata, { aggregateId: 'l1', clientId: 'cl1' });

describe('contact list decider', () => {
  const list = spec(contactListDecider);
  it('creates a list', () => list.given([]).when({ type: 'CreateContactList', data, metadata }).then([created]));
  it('refuses to create it twice', () => list.given([created]).when({ type: 'CreateContactList', data, metadata }).thenRefuses('conflict'));

  it('shows a list to its client only', () => {
    const state = fold(contactListDecider, [created]);
    expect(ownedList(state, 'l1', 'cl1')).toMatchObject({ name: 'Renewals', createdAt: metadata.now });
    expect(() => ownedList(state, 'l1', 'someone-else')).toThrow(new DomainError('not-found', 'list l1 not found'));
    expect(() => ownedList(fold(contactListDecider, []), 'l1', 'cl1')).toThrow(/list l1 not found/);
  });
});
