import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AddContactsResponse } from '@contracts/commands';
import {
  AddListContactsRequest,
  ContactListRequest,
  ContactListsRequest,
  ContactListView,
  CreateContactListRequest,
  ListContactsPageRequest,
  ListsRpc,
} from '@contracts/lists/commands';
import { ListContactsAddedV1 } from '@contracts/lists/events';
import { DomainError } from '@libs/decider/decider';
import { encodeEvent } from '@libs/event-store/codec';
import { handleCommand } from '@libs/event-store/command-handler';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { commandMetadata, makeEvent } from '@libs/event-store/make-event';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS, RPC } from '@libs/nest/tokens';
import { derivedUuid } from '@libs/ids/derived-uuid';
import { CampaignsConfig } from '../config';
import { normalizeContacts } from '../contacts/normalize-contacts';
import { ContactIndex } from '../imports/contact-index';
import { importFreshContacts, listScope } from '../imports/import-contacts';
import { contactListDecider, ContactListState } from './contact-list';
import { ListCopier } from './list-copier';
import { ContactListDoc, ListsReadModel } from './lists.read-model';

/** Contact-list commands and queries over NATS request/reply. */
@Injectable()
export class ListsRpcController implements OnApplicationBootstrap {
  private readonly store: JetStreamEventStore;

  constructor(
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: CampaignsConfig,
    private readonly lists: ListsReadModel,
    private readonly copier: ListCopier,
    private readonly contactIndex: ContactIndex,
  ) {
    this.store = new JetStreamEventStore(nats.js, nats.jsm, nats.subjects.streams.lists);
  }

  onApplicationBootstrap() {
    const on = (name: string, handler: (req: any) => Promise<unknown>) => this.rpc.handle(this.nats.subjects.command('campaigns', name), handler);
    on(ListsRpc.createList, (r) => this.create(r));
    on(ListsRpc.getList, (r) => this.get(r));
    on(ListsRpc.listLists, (r) => this.list(r));
    on(ListsRpc.addListContacts, (r) => this.addContacts(r));
    on(ListsRpc.listListContacts, (r) => this.listContacts(r));
  }

  private async create(req: CreateContactListRequest): Promise<ContactListView> {
    const listId = derivedUuid(req.commandId);
    const { state } = await handleCommand(this.store, contactListDecider, this.nats.subjects.listEvents(listId), {
      type: 'CreateContactList',
      data: { listId, clientId: req.clientId, name: req.name },
      metadata: commandMetadata(req, req.clientId),
    }, { commandId: req.commandId });
    return viewOfState(state, 0);
  }

  /** From the read model; a list created a moment ago that it does not show yet comes from its events. */
  private async get(req: ContactListRequest): Promise<ContactListView> {
    const doc = await this.lists.get(req.clientId, req.listId);
    if (doc) return viewOfDoc(doc);
    return viewOfState(await this.copier.ownedList(req.listId, req.clientId), 0);
  }

  private async list(req: ContactListsRequest) {
    const page = await this.lists.list(req.clientId, req);
    return { ...page, items: page.items.map(viewOfDoc) };
  }

  private async addContacts(req: AddListContactsRequest): Promise<AddContactsResponse> {
    if (req.contacts.length > this.config.MAX_CONTACTS_PER_REQUEST) {
      throw new DomainError('invalid', `at most ${this.config.MAX_CONTACTS_PER_REQUEST} contacts per request`);
    }
    await this.copier.ownedList(req.listId, req.clientId);
    const batch = normalizeContacts(req.listId, req.contacts, req.firstRow ?? 1);
    const metadata = commandMetadata(req, req.clientId);
    const subject = this.nats.subjects.listContacts(req.listId);
    const fresh = await importFreshContacts(this.contactIndex, listScope(req.listId), metadata.commandId, batch.accepted, async (contacts, i) => {
      const event = makeEvent(ListContactsAddedV1, { listId: req.listId, batchId: `${metadata.commandId}:${i}`, contacts }, metadata, { aggregateId: req.listId, clientId: req.clientId }, i);
      await this.nats.js.publish(subject, encodeEvent(event), { msgID: event.id });
    });
    return { accepted: fresh.length, rejected: batch.rejected, duplicates: batch.duplicates + batch.accepted.length - fresh.length };
  }

  private async listContacts(req: ListContactsPageRequest) {
    await this.copier.ownedList(req.listId, req.clientId);
    const page = await this.lists.listContacts(req.listId, req);
    return { ...page, items: page.items.map(({ _id, listId: _l, order: _o, ...c }) => ({ id: _id, ...c })) };
  }
}

function viewOfDoc(doc: ContactListDoc): ContactListView {
  return { id: doc._id, name: doc.name, createdAt: doc.createdAt, contactCount: doc.contactCount };
}

function viewOfState(state: ContactListState, contactCount: number): ContactListView {
  if (state.status === 'none') throw new DomainError('not-found', 'list not found');
  return { id: state.listId, name: state.name, createdAt: state.createdAt, contactCount };
}
