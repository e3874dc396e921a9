import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AddContactsResponse } from '@contracts/commands';
import { DoNotCallCheckRequest, DoNotCallListRequest, DoNotCallNumbersRequest, DoNotCallRpc, DoNotCallView } from '@contracts/dnc/commands';
import { DoNotCallNumbersAddedV1, DoNotCallNumbersRemovedV1, MAX_NUMBERS_PER_DNC_EVENT } from '@contracts/dnc/events';
import { DomainError } from '@libs/decider/decider';
import { encodeEvent } from '@libs/event-store/codec';
import { commandMetadata, makeEvent } from '@libs/event-store/make-event';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS, RPC } from '@libs/nest/tokens';
import { CampaignsConfig } from '../config';
import { normalizePhone } from '../contacts/normalize-contacts';
import { contactBatches } from '../imports/contact-batches';
import { DNC_PROCESSOR_DURABLE } from './dnc.processor';
import { doNotCallEntry, listDoNotCall } from './do-not-call-list';
import { normalizeNumbers } from './normalize-numbers';
import { waitUntilProjected } from './projection-wait';

/**
 * The per-client do-not-call list. Adds and removes are events on `dnc.<clientId>.events` (the source
 * of truth); the answer comes once the DNC processor has applied them to the `dnc` KV bucket, so a
 * number acknowledged as added is never dialled after that, even from a job already queued.
 */
@Injectable()
export class DoNotCallRpcController implements OnApplicationBootstrap {
  constructor(
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: CampaignsConfig,
  ) {}

  onApplicationBootstrap() {
    const on = (name: string, handler: (req: any) => Promise<unknown>) => this.rpc.handle(this.nats.subjects.command('campaigns', name), handler);
    on(DoNotCallRpc.addNumbers, (r) => this.change('add', r));
    on(DoNotCallRpc.removeNumbers, (r) => this.change('remove', r));
    on(DoNotCallRpc.listNumbers, (r: DoNotCallListRequest) => listDoNotCall(this.nats.buckets.dnc, r.clientId, r.page, r.limit));
    on(DoNotCallRpc.checkNumber, (r) => this.check(r));
  }

  private async change(kind: 'add' | 'remove', req: DoNotCallNumbersRequest): Promise<AddContactsResponse> {
    if (req.numbers.length > this.config.MAX_CONTACTS_PER_REQUEST) {
      throw new DomainError('invalid', `at most ${this.config.MAX_CONTACTS_PER_REQUEST} numbers per request`);
    }
    const batch = normalizeNumbers(req.numbers, req.firstRow ?? 1);
    const metadata = commandMetadata(req, req.clientId);
    const ids = { aggregateId: req.clientId, clientId: req.clientId };
    let lastSeq = 0;
    for (const [i, numbers] of contactBatches(batch.numbers, MAX_NUMBERS_PER_DNC_EVENT).entries()) {
      const event =
        kind === 'add'
          ? makeEvent(DoNotCallNumbersAddedV1, { clientId: req.clientId, numbers, addedAt: metadata.now }, metadata, ids, i)
          : makeEvent(DoNotCallNumbersRemovedV1, { clientId: req.clientId, numbers, removedAt: metadata.now }, metadata, ids, i);
      lastSeq = (await this.nats.js.publish(this.nats.subjects.dncEvents(req.clientId), encodeEvent(event), { msgID: event.id })).seq;
    }
    if (lastSeq > 0) await waitUntilProjected(this.nats.jsm, this.nats.subjects.streams.dnc, DNC_PROCESSOR_DURABLE, lastSeq, this.config.DNC_APPLY_WAIT_MS);
    return { accepted: batch.numbers.length, rejected: batch.rejected, duplicates: batch.duplicates };
  }

  private async check(req: DoNotCallCheckRequest): Promise<DoNotCallView> {
    const phone = normalizePhone(req.phoneNumber);
    if ('reason' in phone) throw new DomainError('invalid', `phoneNumber: ${phone.reason}`, [{ field: 'phoneNumber', problems: [phone.reason] }]);
    const entry = await doNotCallEntry(this.nats.buckets.dnc, req.clientId, phone.e164);
    return entry ? { phoneNumber: phone.e164, listed: true, addedAt: entry.addedAt } : { phoneNumber: phone.e164, listed: false };
  }
}
