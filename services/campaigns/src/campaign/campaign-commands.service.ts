import { Inject, Injectable } from '@nestjs/common';
import { CampaignEvent } from '@contracts/campaigns/events';
import { handleCommand, loadAggregate } from '@libs/event-store/command-handler';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { CampaignState } from './campaign';
import { CampaignCommand } from './campaign.commands';
import { campaignDecider } from './campaign.decide';

/** Runs campaign commands against the campaign's event stream. */
@Injectable()
export class CampaignCommands {
  readonly store: JetStreamEventStore;

  constructor(@Inject(NATS) private readonly nats: NatsContext) {
    this.store = new JetStreamEventStore(nats.js, nats.jsm, nats.subjects.streams.campaigns);
  }

  execute(command: CampaignCommand) {
    return handleCommand(this.store, campaignDecider, this.nats.subjects.campaignEvents(command.data.campaignId), command, {
      commandId: command.metadata.commandId,
    });
  }

  async load(campaignId: string): Promise<CampaignState> {
    return (await loadAggregate<CampaignEvent, CampaignState>(this.store, campaignDecider, this.nats.subjects.campaignEvents(campaignId))).state;
  }
}
