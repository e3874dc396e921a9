import { CampaignSettings } from '@contracts/campaigns/settings';
import { CommandMetadata } from '@libs/event-store/make-event';

export interface CreateCampaign {
  type: 'CreateCampaign';
  data: {
    campaignId: string;
    clientId: string;
    name: string;
    description?: string;
    agentId?: string;
    listId?: string;
    fromNumber: string;
    fromNumbers?: string[];
    wssUrl?: string;
    answerUrl?: string;
    scheduledTime?: string;
    settings: CampaignSettings;
  };
  metadata: CommandMetadata;
}

export interface StartCampaign {
  type: 'StartCampaign';
  data: { campaignId: string; clientId: string };
  metadata: CommandMetadata;
}

export interface CompleteCampaign {
  type: 'CompleteCampaign';
  data: { campaignId: string; contacts: number };
  metadata: CommandMetadata;
}

export type CampaignCommand = CreateCampaign | StartCampaign | CompleteCampaign;
