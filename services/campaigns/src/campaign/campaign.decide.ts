import {
  CampaignCompletedV1,
  CampaignCreatedV1,
  CampaignEvent,
  CampaignStartedV1,
} from '@contracts/campaigns/events';
import { Decider, DomainError } from '@libs/decider/decider';
import { makeEvent } from '@libs/event-store/make-event';
import { CampaignState, evolveCampaign, initialCampaignState } from './campaign';
import { CampaignCommand, CompleteCampaign, CreateCampaign, StartCampaign } from './campaign.commands';

export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'CreateCampaign':
      return create(command, state);
    case 'StartCampaign':
      return start(command, state);
    case 'CompleteCampaign':
      return complete(command, state);
    default: {
      const unknown: never = command;
      throw new DomainError('invalid', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function create(command: CreateCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  if (state.status !== 'none') throw new DomainError('conflict', `campaign ${data.campaignId} already exists`);
  if (data.scheduledTime && data.scheduledTime <= metadata.now) {
    throw new DomainError('invalid', 'scheduledTime must be in the future', [{ field: 'scheduledTime' }]);
  }
  const event = makeEvent(
    CampaignCreatedV1,
    {
      ...data,
      ...(data.scheduledTime ? { scheduledBy: metadata.by } : {}),
      createdAt: metadata.now,
    },
    metadata,
    { aggregateId: data.campaignId, campaignId: data.campaignId, clientId: data.clientId },
  );
  return [event];
}

function start(command: StartCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  const campaign = owned(state, data.campaignId, data.clientId);
  if (state.status !== 'draft' && state.status !== 'scheduled') {
    throw new DomainError('conflict', `cannot start a campaign that is ${state.status}; only draft or scheduled campaigns start`);
  }
  return [
    makeEvent(CampaignStartedV1, { campaignId: data.campaignId, startedAt: metadata.now, startedBy: metadata.by }, metadata, {
      aggregateId: data.campaignId,
      campaignId: data.campaignId,
      clientId: campaign.clientId,
    }),
  ];
}

function complete(command: CompleteCampaign, state: CampaignState): CampaignEvent[] {
  const { data, metadata } = command;
  if (state.status === 'none') throw new DomainError('not-found', `campaign ${data.campaignId} not found`);
  if (state.status === 'completed') return [];
  if (state.status !== 'running') {
    throw new DomainError('conflict', `cannot complete a campaign that is ${state.status}`);
  }
  return [
    makeEvent(
      CampaignCompletedV1,
      { campaignId: data.campaignId, completedAt: metadata.now, contacts: data.contacts },
      metadata,
      { aggregateId: data.campaignId, campaignId: data.campaignId, clientId: state.campaign.clientId },
    ),
  ];
}

/** A campaign of another client is reported exactly like a missing one. */
function owned(state: CampaignState, campaignId: string, clientId: string) {
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
