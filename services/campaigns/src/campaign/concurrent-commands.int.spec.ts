import { connect, NatsConnection, RetentionPolicy, StorageType } from 'nats';
import { CampaignEvent } from '@contracts/campaigns/events';
import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { DomainError } from '@libs/decider/decider';
import { handleCommand } from '@libs/event-store/command-handler';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { CommandMetadata } from '@libs/event-store/make-event';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { campaignDecider } from './campaign.decide';
import { CampaignCommand } from './campaign.commands';

const meta = (commandId: string): CommandMetadata => ({ commandId, correlationId: commandId, now: new Date().toISOString(), by: 'client-1' });
const ids = { campaignId: 'c1', clientId: 'client-1' };

/** Lifecycle commands racing on one campaign, on real JetStream: the event stream decides, never the last writer. */
describe('concurrent commands on one campaign (real NATS JetStream)', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let stream: string;

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    stream = uniqueName('CC');
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits });
    store = new JetStreamEventStore(nc.jetstream(), jsm, stream);
  });
  afterAll(async () => nc?.close());

  async function runningCampaign(subject: string) {
    const run = (command: CampaignCommand) => handleCommand(store, campaignDecider, subject, command);
    await run({
      type: 'CreateCampaign',
      data: { ...ids, name: 'race', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com', settings: DEFAULT_CAMPAIGN_SETTINGS },
      metadata: meta(`${subject}-create`),
    });
    await run({ type: 'StartCampaign', data: ids, metadata: meta(`${subject}-start`) });
    return run;
  }

  const outcomes = (results: PromiseSettledResult<unknown>[]) =>
    results.map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason instanceof DomainError ? r.reason.kind : String(r.reason)));

  it('accepts exactly one of many simultaneous pauses; the others are refused as conflicts', async () => {
    for (let round = 0; round < 5; round++) {
      const subject = `${stream}.pauses${round}`;
      const run = await runningCampaign(subject);
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => run({ type: 'PauseCampaign', data: ids, metadata: meta(`${subject}-p${i}`) })),
      );
      expect(outcomes(results).sort()).toEqual(['conflict', 'conflict', 'conflict', 'conflict', 'conflict', 'ok']);
      const { events } = await store.read<CampaignEvent>(subject);
      expect(events.filter((e) => e.type === 'CampaignPaused')).toHaveLength(1);
    }
  });

  it('lets a pause and a completion race: exactly one wins, and the stream never holds both', async () => {
    for (let round = 0; round < 10; round++) {
      const subject = `${stream}.race${round}`;
      const run = await runningCampaign(subject);
      const pause = run({ type: 'PauseCampaign', data: ids, metadata: meta(`${subject}-pause`) });
      const complete = run({ type: 'CompleteCampaign', data: { campaignId: 'c1', contacts: 10 }, metadata: meta(`${subject}-complete`) });
      const results = await Promise.allSettled(round % 2 ? [pause, complete] : [complete, pause]);
      expect(outcomes(results).sort()).toEqual(['conflict', 'ok']);
      const { events } = await store.read<CampaignEvent>(subject);
      const endings = events.filter((e) => e.type === 'CampaignPaused' || e.type === 'CampaignCompleted').map((e) => e.type);
      // Which one wins depends on timing; both are legal, both together never.
      expect(endings).toHaveLength(1);
    }
  });
});
