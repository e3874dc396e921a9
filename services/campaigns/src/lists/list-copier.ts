import { Inject, Injectable } from '@nestjs/common';
import { ContactsAddedV1 } from '@contracts/campaigns/events';
import { ContactListEvent, ListContactsAdded } from '@contracts/lists/events';
import { DomainError } from '@libs/decider/decider';
import { encodeEvent } from '@libs/event-store/codec';
import { loadAggregate } from '@libs/event-store/command-handler';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { CommandMetadata, makeEvent } from '@libs/event-store/make-event';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { contactIdOf } from '../contacts/normalize-contacts';
import { ContactIndex } from '../imports/contact-index';
import { campaignScope, importFreshContacts } from '../imports/import-contacts';
import { contactListDecider, ContactListState, ownedList } from './contact-list';
import { eachMessageOf } from './subject-reader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Gives a new campaign the contacts of a list: every ListContactsAdded batch of the list (as far as
 * the stream goes now) becomes ContactsAdded batches of the campaign, with the campaign's own contact
 * ids, claimed in the contact index like any import (so later additions to the campaign skip them).
 */
@Injectable()
export class ListCopier {
  private readonly store: JetStreamEventStore;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    private readonly contactIndex: ContactIndex,
  ) {
    this.store = new JetStreamEventStore(nats.js, nats.jsm, nats.subjects.streams.lists);
  }

  /** The caller's list, or DomainError not-found (unknown, malformed or another client's id). */
  async ownedList(listId: string, clientId: string): Promise<Extract<ContactListState, { status: 'active' }>> {
    if (!UUID.test(listId)) throw new DomainError('not-found', `list ${listId} not found`);
    const { state } = await loadAggregate<ContactListEvent, ContactListState>(this.store, contactListDecider, this.nats.subjects.listEvents(listId));
    return ownedList(state, listId, clientId);
  }

  /** Publishes the list's contacts as the campaign's; returns how many. */
  async copyToCampaign(listId: string, campaignId: string, metadata: CommandMetadata & { clientId: string }): Promise<number> {
    const subject = this.nats.subjects.campaignContacts(campaignId);
    const ids = { aggregateId: campaignId, campaignId, clientId: metadata.clientId };
    let copied = 0;
    await eachMessageOf<ListContactsAdded>(this.nats, this.nats.subjects.streams.lists, this.nats.subjects.listContacts(listId), async (batch, seq) => {
      const contacts = batch.data.contacts.map((c) => ({ ...c, contactId: contactIdOf(campaignId, c.phoneNumber) }));
      const batchMetadata = { ...metadata, commandId: `${metadata.commandId}:list${seq}` };
      const fresh = await importFreshContacts(this.contactIndex, campaignScope(campaignId), metadata.commandId, contacts, async (part, i) => {
        const event = makeEvent(ContactsAddedV1, { campaignId, batchId: `${batchMetadata.commandId}:${i}`, contacts: part }, batchMetadata, ids, i);
        await this.nats.js.publish(subject, encodeEvent(event), { msgID: event.id });
      });
      copied += fresh.length;
    });
    return copied;
  }
}
