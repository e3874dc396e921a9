import { ContactListCreatedV1, ContactListEvent } from '@contracts/lists/events';
import { Decider, DomainError } from '@libs/decider/decider';
import { CommandMetadata, makeEvent } from '@libs/event-store/make-event';

// ---- state and evolve ---------------------------------------------------------------------------

/** The list aggregate. Its contacts are on their own subject and never folded into the state. */
export type ContactListState =
  | { status: 'none' }
  | { status: 'active'; listId: string; clientId: string; name: string; createdAt: string };

export function evolveContactList(state: ContactListState, event: ContactListEvent): ContactListState {
  if (event.type === 'ContactListCreated') {
    const { listId, clientId, name, createdAt } = event.data;
    return { status: 'active', listId, clientId, name, createdAt };
  }
  // Events of a newer version this code does not know are skipped, not fatal.
  return state;
}

// ---- commands and decide ------------------------------------------------------------------------

export type ContactListCommand = {
  type: 'CreateContactList';
  data: { listId: string; clientId: string; name: string };
  metadata: CommandMetadata;
};

export function decideContactList(command: ContactListCommand, state: ContactListState): ContactListEvent[] {
  switch (command.type) {
    case 'CreateContactList': {
      const { data, metadata } = command;
      if (state.status !== 'none') throw new DomainError('conflict', `list ${data.listId} already exists`);
      return [makeEvent(ContactListCreatedV1, { ...data, createdAt: metadata.now }, metadata, { aggregateId: data.listId, clientId: data.clientId })];
    }
    default: {
      const unknown: never = command.type;
      throw new DomainError('invalid', `unknown command ${String(unknown)}`);
    }
  }
}

/** A list of another client is reported exactly like a missing one. */
export function ownedList(state: ContactListState, listId: string, clientId: string): Extract<ContactListState, { status: 'active' }> {
  if (state.status === 'none' || state.clientId !== clientId) throw new DomainError('not-found', `list ${listId} not found`);
  return state;
}

export const contactListDecider: Decider<ContactListCommand, ContactListEvent, ContactListState> = {
  decide: decideContactList,
  evolve: evolveContactList,
  initialState: () => ({ status: 'none' }),
};
