import { randomUUID } from 'crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DomainError } from '@libs/decider/decider';
import { commandMetadata } from '@libs/event-store/make-event';
import { LOGGER } from '@libs/nest/tokens';
import { CampaignCommands } from '../campaign/campaign-commands.service';
import { CoalescedRuns } from '../dispatch/coalesced-runs';
import { CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactsReadModel } from '../read-models/contacts.read-model';

const SWEEP_MS = 30_000;
/** Checks of one campaign are at least this far apart: each reads contacts until it finds an open one. */
const CHECK_INTERVAL_MS = 500;

/**
 * Completes a running campaign once none of its contacts is open. Checks are coalesced per campaign;
 * every running campaign is also looked at now and then, which covers a check lost with a crashed instance.
 */
@Injectable()
export class CampaignCompletion implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly checks = new CoalescedRuns((campaignId) => this.completeIfDone(campaignId), CHECK_INTERVAL_MS, (campaignId, err) =>
    this.log.warn({ err, campaignId }, 'completion check failed; trying again'),
  );
  private sweep?: NodeJS.Timeout;

  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    private readonly commands: CampaignCommands,
    private readonly campaigns: CampaignsReadModel,
    private readonly contacts: ContactsReadModel,
  ) {}

  onApplicationBootstrap() {
    this.sweep = setInterval(() => void this.requestForRunning(), SWEEP_MS);
    void this.requestForRunning();
  }

  onModuleDestroy() {
    clearInterval(this.sweep);
    this.checks.stop();
  }

  request(campaignId: string): void {
    this.checks.request(campaignId);
  }

  private async requestForRunning(): Promise<void> {
    const running = await this.campaigns.collection.find({ status: 'running' }, { projection: { _id: 1 } }).toArray().catch(() => []);
    running.forEach((c) => this.request(c._id));
  }

  private async completeIfDone(campaignId: string): Promise<void> {
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId }, { projection: { status: 1, retryRound: 1 } });
    if (campaign?.status !== 'running') return;
    if (await this.contacts.hasOpen(campaignId)) return;
    try {
      await this.commands.execute({
        type: 'CompleteCampaign',
        data: { campaignId, contacts: await this.contacts.count(campaignId), retryRound: campaign.retryRound ?? 0 },
        metadata: commandMetadata({ commandId: `complete-${campaignId}-${randomUUID()}`, correlationId: `complete-${campaignId}` }, 'system'),
      });
    } catch (e) {
      // Not running (paused, cancelled, already completed by another instance), or a retry came in: nothing to complete.
      if (!(e instanceof DomainError)) throw e;
    }
  }
}
