import {
  CampaignCancelledV1,
  CampaignCompletedV1,
  CampaignCreatedV1,
  CampaignDeletedV1,
  CampaignUpdatedV1,
  CampaignEvent,
  CampaignPausedV1,
  CampaignResumedV1,
  CampaignRetryRequestedV1,
  CampaignScheduledV1,
  CampaignStartedV1,
} from '@contracts/campaigns/events';
import { Decider, DomainError } from '@libs/decider/decider';
import { CommandMetadata, makeEvent } from '@libs/event-store/make-event';
import { CampaignState, evolveCampaign, initialCampaignState } from './campaign';
import {
  CampaignCommand,
  CompleteCampaign,
  CreateCampaign,
  DeleteCampaign,
  LifecycleCommand,
  RetryCampaign,
  ScheduleCampaign,
  StartCampaign,
  UpdateCampaign,
} from './campaign.commands';

export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'CreateCampaign':
      return create(command, state);
    case 'ScheduleCampaign':
      return schedule(command, state);
    case 'StartCampaign':
      return start(command, state);
    case 'PauseCampaign':
    case 'ResumeCampaign':
    case 'CancelCampaign':
      return lifecycle(command, state);
    case 'UpdateCampaign':
      return update(command, state);
    case 'DeleteCampaign':
      return remove(command, state);
    case 'CompleteCampaign':
      return complete(command, state);
    case 'RetryCampaign':
      return retry(command, state);
    default: {
      const unknown: never = command;
      throw new DomainError('invalid', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function create(command: CreateCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  if (state.status !== 'none') throw new DomainError('conflict', `campaign ${data.campaignId} already exists`);
  if (data.scheduledTime) requireFuture(data.scheduledTime, metadata.now);
  const created = { ...data, ...(data.scheduledTime ? { scheduledBy: metadata.by } : {}), createdAt: metadata.now };
  return [campaignEvent(CampaignCreatedV1, created, metadata, data.clientId)];
}

function schedule(command: ScheduleCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  if (state.status !== 'draft' && state.status !== 'scheduled') {
    throw new DomainError('conflict', `cannot schedule a campaign that is ${state.status}; only draft or scheduled campaigns are scheduled`);
  }
  requireFuture(data.scheduledTime, metadata.now);
  return [
    campaignEvent(CampaignScheduledV1, { campaignId: data.campaignId, scheduledTime: data.scheduledTime, scheduledBy: metadata.by }, metadata, campaign.clientId),
  ];
}

function start(command: StartCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  if (state.status !== 'draft' && state.status !== 'scheduled') {
    throw new DomainError('conflict', `cannot start a campaign that is ${state.status}; only draft or scheduled campaigns start`);
  }
  if (data.scheduledFor && (state.status !== 'scheduled' || campaign.scheduledTime !== data.scheduledFor)) {
    throw new DomainError('conflict', `campaign ${data.campaignId} is no longer scheduled for ${data.scheduledFor}`);
  }
  return [
    campaignEvent(CampaignStartedV1, { campaignId: data.campaignId, startedAt: metadata.now, startedBy: metadata.by }, metadata, campaign.clientId),
  ];
}

const LIFECYCLE = {
  PauseCampaign: { from: ['running'], verb: 'pause', contract: CampaignPausedV1, at: 'pausedAt', by: 'pausedBy' },
  ResumeCampaign: { from: ['paused'], verb: 'resume', contract: CampaignResumedV1, at: 'resumedAt', by: 'resumedBy' },
  CancelCampaign: {
    from: ['draft', 'scheduled', 'running', 'paused'],
    verb: 'cancel',
    contract: CampaignCancelledV1,
    at: 'cancelledAt',
    by: 'cancelledBy',
  },
} as const;

function lifecycle(command: LifecycleCommand, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  const rule = LIFECYCLE[command.type];
  if (!(rule.from as readonly string[]).includes(state.status)) {
    throw new DomainError('conflict', `cannot ${rule.verb} a campaign that is ${state.status}; only ${rule.from.join(', ')} campaigns ${rule.verb}`);
  }
  const event = campaignEvent(rule.contract, { campaignId: data.campaignId, [rule.at]: metadata.now, [rule.by]: metadata.by }, metadata, campaign.clientId);
  return [event as CampaignEvent];
}

function update(command: UpdateCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  if (state.status === 'cancelled' || state.status === 'failed') {
    throw new DomainError('conflict', `cannot change a campaign that is ${state.status}`);
  }
  const settings = data.settings ? { ...campaign.settings, ...data.settings } : undefined;
  const changes = {
    ...(data.name !== undefined && data.name !== campaign.name ? { name: data.name } : {}),
    ...(data.description !== undefined && data.description !== campaign.description ? { description: data.description } : {}),
    ...(settings && JSON.stringify(settings) !== JSON.stringify(campaign.settings) ? { settings } : {}),
  };
  if (Object.keys(changes).length === 0) return [];
  return [
    campaignEvent(CampaignUpdatedV1, { campaignId: data.campaignId, ...changes, updatedBy: metadata.by }, metadata, campaign.clientId),
  ];
}

function remove(command: DeleteCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  if (state.status === 'running') throw new DomainError('conflict', 'cannot delete a running campaign; pause or cancel it first');
  return [
    campaignEvent(CampaignDeletedV1, { campaignId: data.campaignId, deletedAt: metadata.now, deletedBy: metadata.by }, metadata, campaign.clientId),
  ];
}

function complete(command: CompleteCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  if (state.status === 'none') throw new DomainError('not-found', `campaign ${data.campaignId} not found`);
  if (state.status === 'completed') return [];
  if (state.status !== 'running') {
    throw new DomainError('conflict', `cannot complete a campaign that is ${state.status}`);
  }
  if ((data.retryRound ?? 0) !== (state.campaign.retryRound ?? 0)) {
    throw new DomainError('conflict', `completion of campaign ${data.campaignId} was observed before its latest retry request`);
  }
  return [
    campaignEvent(CampaignCompletedV1, { campaignId: data.campaignId, completedAt: metadata.now, contacts: data.contacts }, metadata, state.campaign.clientId),
  ];
}

const RETRYABLE_FROM = ['running', 'paused', 'completed'];

function retry(command: RetryCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = ownedCampaign(state, data.campaignId, data.clientId);
  if (!RETRYABLE_FROM.includes(state.status)) {
    throw new DomainError('conflict', `cannot retry contacts of a campaign that is ${state.status}; only ${RETRYABLE_FROM.join(', ')} campaigns retry`);
  }
  return [
    campaignEvent(
      CampaignRetryRequestedV1,
      { campaignId: data.campaignId, includeVoicemail: data.includeVoicemail, requestedAt: metadata.now, requestedBy: metadata.by },
      metadata,
      campaign.clientId,
    ),
  ];
}

/** Both are UTC ISO-8601 (normalised at the edge), so they compare as strings. */
function requireFuture(scheduledTime: string, now: string): void {
  if (scheduledTime <= now) throw new DomainError('invalid', 'scheduledTime must be in the future', [{ field: 'scheduledTime' }]);
}

/** An event of this campaign's stream, for the client that owns it. */
function campaignEvent<T extends string, D extends { campaignId: string }>(
  contract: { type: T; version: number },
  data: D,
  metadata: CommandMetadata,
  clientId: string,
) {
  return makeEvent(contract, data, metadata, { aggregateId: data.campaignId, campaignId: data.campaignId, clientId });
}

/** A campaign of another client is reported exactly like a missing one. */
export function ownedCampaign(state: CampaignState, campaignId: string, clientId: string) {
  if (state.status === 'none' || state.status === 'deleted' || state.campaign.clientId !== clientId) {
    throw new DomainError('not-found', `campaign ${campaignId} not found`);
  }
  return state.campaign;
}

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  decide: decideCampaign,
  evolve: evolveCampaign,
  initialState: initialCampaignState,
};
