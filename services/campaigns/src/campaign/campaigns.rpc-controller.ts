import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ContactsAddedV1 } from '@contracts/campaigns/events';
import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import {
  AddContactsRequest,
  AddContactsResponse,
  CampaignListRequest,
  CampaignRequest,
  CampaignsRpc,
  CreateCampaignRequest,
  ScheduleCampaignRequest,
  UpdateCampaignRequest,
  ReleaseRetriesRequest,
  RetryCampaignRequest,
  RetryCampaignResponse,
  ListRequest,
} from '@contracts/commands';
import { DomainError } from '@libs/decider/decider';
import { encodeEvent } from '@libs/event-store/codec';
import { CommandMetadata, commandMetadata, makeEvent } from '@libs/event-store/make-event';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS, RPC } from '@libs/nest/tokens';
import { CampaignsConfig } from '../config';
import { normalizeContacts } from '../contacts/normalize-contacts';
import { ContactIndex } from '../imports/contact-index';
import { campaignScope, importFreshContacts } from '../imports/import-contacts';
import { CampaignDoc, CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactsReadModel } from '../read-models/contacts.read-model';
import { CampaignData } from './campaign';
import { ContactFeeder } from '../dispatch/contact-feeder';
import { RuntimeWriter, runtimeOfState } from '../dispatch/runtime-writer';
import { DeleteCampaign, LifecycleCommand, RetryCampaign, UpdateCampaign } from './campaign.commands';
import { CampaignCommands } from './campaign-commands.service';
import { campaignDecider, ownedCampaign } from './campaign.decide';
import { CreateCampaign } from './campaign.commands';
import { ListCopier } from '../lists/list-copier';
import { computeProgress } from './progress';
import { isWithinWindow, windowFor } from '@libs/call-window/call-window';
import { derivedUuid } from '@libs/ids/derived-uuid';

const ADDABLE = new Set(['draft', 'scheduled', 'running', 'paused']);

/** Campaign commands and queries over NATS request/reply. */
@Injectable()
export class CampaignsRpcController implements OnApplicationBootstrap {
  constructor(
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: CampaignsConfig,
    private readonly commands: CampaignCommands,
    private readonly campaigns: CampaignsReadModel,
    private readonly contacts: ContactsReadModel,
    private readonly runtime: RuntimeWriter,
    private readonly contactIndex: ContactIndex,
    private readonly listCopier: ListCopier,
    private readonly feeder: ContactFeeder,
  ) {}

  onApplicationBootstrap() {
    const on = (name: string, handler: (req: any) => Promise<unknown>) =>
      this.rpc.handle(this.nats.subjects.command('campaigns', name), handler);
    on(CampaignsRpc.createCampaign, (r) => this.create(r));
    on(CampaignsRpc.startCampaign, (r) => this.start(r));
    on(CampaignsRpc.scheduleCampaign, (r) => this.schedule(r));
    on(CampaignsRpc.pauseCampaign, (r) => this.lifecycle('PauseCampaign', r));
    on(CampaignsRpc.resumeCampaign, (r) => this.lifecycle('ResumeCampaign', r));
    on(CampaignsRpc.cancelCampaign, (r) => this.lifecycle('CancelCampaign', r));
    on(CampaignsRpc.updateCampaign, (r: UpdateCampaignRequest) =>
      this.applyNow({ type: 'UpdateCampaign', data: { campaignId: r.campaignId, clientId: r.clientId, ...r.changes }, metadata: metadataOf(r) }),
    );
    on(CampaignsRpc.deleteCampaign, (r: CampaignRequest) =>
      this.applyNow({ type: 'DeleteCampaign', data: { campaignId: r.campaignId, clientId: r.clientId }, metadata: metadataOf(r) }),
    );
    on(CampaignsRpc.retryCampaign, (r) => this.retry(r));
    on(CampaignsRpc.releaseRetries, (r) => this.releaseRetries(r));
    on(CampaignsRpc.addContacts, (r) => this.addContacts(r));
    on(CampaignsRpc.getCampaign, (r) => this.get(r));
    on(CampaignsRpc.listCampaigns, (r) => this.list(r));
    on(CampaignsRpc.listContacts, (r) => this.listContacts(r));
    on(CampaignsRpc.progress, (r) => this.progress(r));
    on(CampaignsRpc.stats, (r) => this.stats(r));
  }

  private async create(req: CreateCampaignRequest) {
    const campaignId = derivedUuid(req.commandId);
    const { settings, ...campaign } = req.campaign;
    const command: CreateCampaign = {
      type: 'CreateCampaign',
      data: {
        ...campaign,
        ...(campaign.scheduledTime ? { scheduledTime: isoTime(campaign.scheduledTime) } : {}),
        campaignId,
        clientId: req.clientId,
        settings: { ...DEFAULT_CAMPAIGN_SETTINGS, ...settings },
      },
      metadata: metadataOf(req),
    };
    if (campaign.listId) {
      // The list's contacts go in before the campaign exists, so it can never start without them;
      // a campaign the decider would refuse (checked first, without side effects) copies nothing.
      campaignDecider.decide(command, campaignDecider.initialState());
      await this.listCopier.ownedList(campaign.listId, req.clientId);
      await this.listCopier.copyToCampaign(campaign.listId, campaignId, { ...command.metadata, clientId: req.clientId });
    }
    const result = await this.commands.execute(command);
    return result.state.status === 'none' ? null : view(result.state.campaign, result.state.status);
  }

  private async schedule(req: ScheduleCampaignRequest) {
    const result = await this.commands.execute({
      type: 'ScheduleCampaign',
      data: { campaignId: req.campaignId, clientId: req.clientId, scheduledTime: isoTime(req.scheduledTime) },
      metadata: metadataOf(req),
    });
    return result.state.status === 'none' ? null : view(result.state.campaign, result.state.status);
  }

  private async start(req: CampaignRequest & { scheduledFor?: string }) {
    const result = await this.commands.execute({
      type: 'StartCampaign',
      data: { campaignId: req.campaignId, clientId: req.clientId, ...(req.scheduledFor ? { scheduledFor: req.scheduledFor } : {}) },
      metadata: { ...metadataOf(req), ...(req.scheduledFor ? { by: 'scheduler' } : {}) },
    });
    return result.state.status === 'none' ? null : view(result.state.campaign, result.state.status);
  }

  /**
   * Pause, resume, cancel. The runtime KV that dialers follow is written before the reply, so once a
   * client sees the pause acknowledged, dialers already see the campaign as paused.
   */
  private lifecycle(type: LifecycleCommand['type'], req: CampaignRequest) {
    return this.applyNow({ type, data: { campaignId: req.campaignId, clientId: req.clientId }, metadata: metadataOf(req) });
  }

  /** Runs a command whose effect dialers must see before the reply: status or limits. */
  private async applyNow(command: LifecycleCommand | UpdateCampaign | DeleteCampaign | RetryCampaign) {
    const result = await this.commands.execute(command);
    if (result.state.status === 'none') return null;
    await this.runtime.putCampaign(runtimeOfState(result.state, result.revision));
    return view(result.state.campaign, result.state.status);
  }

  /** Re-dials contacts that ended failed (and voicemail on request); a completed campaign runs again. */
  private async retry(req: RetryCampaignRequest): Promise<RetryCampaignResponse> {
    const includeVoicemail = req.includeVoicemail === true;
    const requeued = await this.contacts.countIn(req.campaignId, includeVoicemail ? ['failed', 'voicemail'] : ['failed']);
    const state = await this.commands.load(req.campaignId);
    ownedCampaign(state, req.campaignId, req.clientId);
    if (requeued === 0) return { campaignId: req.campaignId, status: state.status, requeued };
    const view = await this.applyNow({ type: 'RetryCampaign', data: { campaignId: req.campaignId, clientId: req.clientId, includeVoicemail }, metadata: metadataOf(req) });
    return { campaignId: req.campaignId, status: view?.status ?? state.status, requeued };
  }

  private async releaseRetries(req: ReleaseRetriesRequest): Promise<{ released: number }> {
    const released = await this.contacts.releaseRetries(req.campaignId, req.callIds, new Date().toISOString());
    this.feeder.request(req.campaignId, true);
    return { released };
  }

  private async addContacts(req: AddContactsRequest): Promise<AddContactsResponse> {
    if (req.contacts.length > this.config.MAX_CONTACTS_PER_REQUEST) {
      throw new DomainError('invalid', `at most ${this.config.MAX_CONTACTS_PER_REQUEST} contacts per request`);
    }
    const state = await this.commands.load(req.campaignId);
    ownedCampaign(state, req.campaignId, req.clientId);
    if (!ADDABLE.has(state.status)) throw new DomainError('conflict', `cannot add contacts to a campaign that is ${state.status}`);
    const batch = normalizeContacts(req.campaignId, req.contacts, req.firstRow ?? 1);
    const metadata = metadataOf(req);
    const subject = this.nats.subjects.campaignContacts(req.campaignId);
    // Contacts the campaign already has (earlier chunks and uploads too) are claimed; only new ones are published.
    const fresh = await importFreshContacts(this.contactIndex, campaignScope(req.campaignId), metadata.commandId, batch.accepted, async (contacts, i) => {
      const event = makeEvent(
        ContactsAddedV1,
        { campaignId: req.campaignId, batchId: `${metadata.commandId}:${i}`, contacts },
        metadata,
        { aggregateId: req.campaignId, campaignId: req.campaignId, clientId: req.clientId },
        i,
      );
      await this.nats.js.publish(subject, encodeEvent(event), { msgID: event.id });
    });
    return { accepted: fresh.length, rejected: batch.rejected, duplicates: batch.duplicates + batch.accepted.length - fresh.length };
  }

  private async owned(req: CampaignRequest): Promise<CampaignDoc> {
    const doc = await this.campaigns.get(req.clientId, req.campaignId);
    if (!doc) throw new DomainError('not-found', `campaign ${req.campaignId} not found`);
    return doc;
  }

  private async get(req: CampaignRequest & { withStats?: boolean }) {
    const doc = await this.owned(req);
    if (req.withStats === false) return viewDoc(doc);
    return { ...viewDoc(doc), stats: await this.contacts.countsByStatus(doc._id) };
  }

  private async list(req: ListRequest) {
    const page = await this.campaigns.list(req.clientId, req);
    return { ...page, items: page.items.map(viewDoc) };
  }

  private async listContacts(req: CampaignListRequest) {
    await this.owned(req);
    const page = await this.contacts.list(req.campaignId, req);
    return {
      ...page,
      items: page.items.map(({ _id, order: _order, ...c }) => ({ id: _id, ...c })),
    };
  }

  private async progress(req: CampaignRequest) {
    const doc = await this.owned(req);
    const now = new Date();
    const [counts, outsideWindow] = await Promise.all([this.contacts.countsByStatus(doc._id), this.pendingOutsideWindow(doc, now)]);
    return computeProgress(doc, counts, now, outsideWindow);
  }

  private async pendingOutsideWindow(doc: CampaignDoc, now: Date): Promise<number> {
    const window = doc.settings.callWindow;
    if (!window) return 0;
    const byZone = await this.contacts.pendingByTimezone(doc._id);
    return byZone.filter(({ timezone }) => !isWithinWindow(windowFor(window, timezone ?? undefined)!, now)).reduce((sum, { n }) => sum + n, 0);
  }

  private async stats(req: CampaignRequest) {
    const doc = await this.owned(req);
    const byStatus = await this.contacts.countsByStatus(doc._id);
    return { campaignId: doc._id, status: doc.status, contactsByStatus: byStatus };
  }
}

/** Times are compared as strings in the domain, so every one is normalised to UTC ISO-8601 first. */
function isoTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new DomainError('invalid', 'scheduledTime is not a valid ISO-8601 time', [{ field: 'scheduledTime' }]);
  return time.toISOString();
}

function metadataOf(req: { commandId: string; correlationId: string; clientId: string }): CommandMetadata {
  return commandMetadata(req, req.clientId);
}

function view(c: CampaignData, status: string) {
  const { campaignId, ...rest } = c;
  return { id: campaignId, ...rest, status };
}

function viewDoc(doc: CampaignDoc) {
  const { _id, _rev: _r, ...rest } = doc;
  return { id: _id, ...rest };
}
