import { CampaignCreated } from '@contracts/campaigns/events';
import { CampaignSettings } from '@contracts/campaigns/settings';
import { CommandMetadata } from '@libs/event-store/make-event';

export interface CreateCampaign {
  type: 'CreateCampaign';
  data: Omit<CampaignCreated['data'], 'createdAt' | 'scheduledBy'>;
  metadata: CommandMetadata;
}

export interface StartCampaign {
  type: 'StartCampaign';
  /** `scheduledFor`: the scheduler's start, valid only while the campaign is still scheduled for that time. */
  data: { campaignId: string; clientId: string; scheduledFor?: string };
  metadata: CommandMetadata;
}

export interface CompleteCampaign {
  type: 'CompleteCampaign';
  /** `retryRound`: the campaign's retry round the completion was observed in (a newer one makes it stale). */
  data: { campaignId: string; contacts: number; retryRound?: number };
  metadata: CommandMetadata;
}

export interface ScheduleCampaign {
  type: 'ScheduleCampaign';
  data: { campaignId: string; clientId: string; scheduledTime: string };
  metadata: CommandMetadata;
}

export interface UpdateCampaign {
  type: 'UpdateCampaign';
  data: { campaignId: string; clientId: string; name?: string; description?: string; settings?: Partial<CampaignSettings> };
  metadata: CommandMetadata;
}

export interface DeleteCampaign {
  type: 'DeleteCampaign';
  data: { campaignId: string; clientId: string };
  metadata: CommandMetadata;
}

/** Dial contacts that ended failed (and voicemail when asked) once more; a completed campaign runs again. */
export interface RetryCampaign {
  type: 'RetryCampaign';
  data: { campaignId: string; clientId: string; includeVoicemail: boolean };
  metadata: CommandMetadata;
}

/** Pause, resume and cancel: a client's lifecycle command on its campaign. */
export interface LifecycleCommand {
  type: 'PauseCampaign' | 'ResumeCampaign' | 'CancelCampaign';
  data: { campaignId: string; clientId: string };
  metadata: CommandMetadata;
}

export type CampaignCommand =
  | CreateCampaign
  | ScheduleCampaign
  | StartCampaign
  | LifecycleCommand
  | UpdateCampaign
  | DeleteCampaign
  | CompleteCampaign
  | RetryCampaign;
