import { CampaignCompleted, CampaignCreated, CampaignEvent, CampaignStarted } from '@contracts/campaigns/events';
import { CampaignStatus } from '@contracts/campaigns/settings';

// ---- state ------------------------------------------------------------------------------------

export type CampaignData = CampaignCreated['data'] & {
  startedAt?: string;
  pausedAt?: string;
  pausedBy?: string;
  resumedAt?: string;
  cancelledAt?: string;
  completedAt?: string;
  /** Retry requests so far: a completion observed before the latest one is stale. */
  retryRound?: number;
};

export type CampaignState =
  | { status: 'none' }
  | { status: Exclude<CampaignStatus, 'none'>; campaign: CampaignData };

export const initialCampaignState = (): CampaignState => ({ status: 'none' });

// ---- evolve -----------------------------------------------------------------------------------

export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignCreated':
      return created(event);
    case 'CampaignScheduled':
      return withCampaign(state, 'scheduled', (c) => ({ ...c, scheduledTime: event.data.scheduledTime, scheduledBy: event.data.scheduledBy }));
    case 'CampaignStarted':
      return withCampaign(state, 'running', (c) => ({ ...c, startedAt: event.data.startedAt }));
    case 'CampaignPaused':
      return withCampaign(state, 'paused', (c) => ({ ...c, pausedAt: event.data.pausedAt, pausedBy: event.data.pausedBy }));
    case 'CampaignResumed':
      return withCampaign(state, 'running', (c) => ({ ...c, resumedAt: event.data.resumedAt }));
    case 'CampaignCancelled':
      return withCampaign(state, 'cancelled', (c) => ({ ...c, cancelledAt: event.data.cancelledAt }));
    case 'CampaignUpdated': {
      const { campaignId: _id, updatedBy: _by, ...changes } = event.data;
      return state.status === 'none' ? state : { ...state, campaign: { ...state.campaign, ...changes } };
    }
    case 'CampaignDeleted':
      return withCampaign(state, 'deleted', (c) => c);
    case 'CampaignCompleted':
      return withCampaign(state, 'completed', (c) => ({ ...c, completedAt: event.data.completedAt }));
    case 'CampaignRetryRequested':
      // A completed campaign runs again; a running or paused one keeps its status.
      if (state.status === 'none') return state;
      return withCampaign(state, state.status === 'completed' ? 'running' : state.status, ({ completedAt: _done, ...c }) => ({
        ...c,
        retryRound: (c.retryRound ?? 0) + 1,
      }));
    default: {
      const unknown: never = event;
      return unknownEvent(state, unknown);
    }
  }
}

function created(event: CampaignCreated): CampaignState {
  const { data } = event;
  return { status: data.scheduledTime ? 'scheduled' : 'draft', campaign: { ...data } };
}

function withCampaign(
  state: CampaignState,
  status: Exclude<CampaignStatus, 'none'>,
  change: (c: CampaignData) => CampaignData,
): CampaignState {
  if (state.status === 'none') return state;
  return { status, campaign: change(state.campaign) };
}

/** Events of a newer version this code does not know are skipped, not fatal. */
function unknownEvent(state: CampaignState, _event: never): CampaignState {
  return state;
}

export type { CampaignStarted, CampaignCompleted };
