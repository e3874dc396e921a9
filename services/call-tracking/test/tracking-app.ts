// The real call-tracking app (module, guard, controller, HTTP set-up) in-process, on the jest run's NATS
// and MongoDB-wire servers, in its own namespace and database.
import { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { CallRequested } from '@contracts/calls/events';
import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { CallEventKind } from '@contracts/subjects';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { encodeEvent } from '@libs/event-store/codec';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { testMongoUrl, testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { waitFor } from '@libs/testing/wait-for';
import { CallTrackingAppModule } from '../src/app.module';
import { loadTrackingConfig, TrackingConfig } from '../src/config';
import { configureTrackingHttp, createTrackingApp } from '../src/http';

export const TEST_AUTH_TOKEN = 'tracking-test-auth-token';

export interface TrackingApp {
  /** Where the app listens (http://127.0.0.1:<port>). */
  url: string;
  config: TrackingConfig;
  nats: NatsContext;
  app: INestApplication;
  close(): Promise<void>;
}

export async function startTrackingApp(env: Record<string, string> = {}): Promise<TrackingApp> {
  const config = loadTrackingConfig({
    NATS_URL: testNatsUrl(),
    NATS_NAMESPACE: uniqueName('ct'),
    MONGO_URL: testMongoUrl(),
    MONGO_DB: uniqueName('ct'),
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    PLIVO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createTrackingApp(CallTrackingAppModule.forConfig(config), { logger: false });
  configureTrackingHttp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, config, nats: app.get<NatsContext>(NATS), app, close: () => app.close() };
}

/** What a dialer publishes before calling Plivo: the event every webhook of the call looks up. */
export async function publishCallRequested(
  nats: NatsContext,
  ids: { campaignId: string; callId: string; customData?: Record<string, unknown>; machineDetection?: boolean },
): Promise<CallRequested> {
  const { campaignId, callId } = ids;
  const contactId = callId.replace(/-a\d+$/, '');
  const event: CallRequested = {
    id: `${callId}:requested`,
    type: 'CallRequested',
    version: 1,
    occurredAt: new Date().toISOString(),
    data: {
      callId,
      campaignId,
      contactId,
      attempt: 1,
      clientId: 'client-1',
      from: '+14155550100',
      to: '+14155552671',
      ...(ids.customData ? { customData: ids.customData } : {}),
      ...(ids.machineDetection !== undefined ? { machineDetection: ids.machineDetection } : {}),
      requestedAt: new Date().toISOString(),
    },
    metadata: { aggregateId: contactId, campaignId, clientId: 'client-1', correlationId: 'test' },
  };
  await nats.js.publish(nats.subjects.callEvent(campaignId, callId, 'requested'), encodeEvent(event), { msgID: event.id });
  return event;
}

/** The campaign as dialers and call-tracking see it in the campaign_runtime bucket. */
export async function putCampaignRuntime(nats: NatsContext, runtime: Partial<CampaignRuntime> & { campaignId: string }): Promise<void> {
  const full: CampaignRuntime = {
    clientId: 'client-1',
    status: 'running',
    fromNumber: '+14155550100',
    wssUrl: 'wss://bot.example.com/stream',
    settings: DEFAULT_CAMPAIGN_SETTINGS,
    revision: 1,
    ...runtime,
  };
  await nats.buckets.campaignRuntime.put(runtime.campaignId, JSON.stringify(full));
}

/** How many messages the CALLS stream holds per kind for one call. */
export async function storedKinds(nats: NatsContext, campaignId: string, callId: string): Promise<Partial<Record<CallEventKind, number>>> {
  const filter = nats.subjects.callEvent(campaignId, callId, '*' as CallEventKind);
  const info = await nats.jsm.streams.info(nats.subjects.streams.calls, { subjects_filter: filter });
  const counts: Partial<Record<CallEventKind, number>> = {};
  for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
    counts[subject.split('.').pop() as CallEventKind] = n;
  }
  return counts;
}

/** Resolves once the calls projection has applied everything in the CALLS stream. */
export async function projectionCaughtUp(nats: NatsContext): Promise<void> {
  await waitFor(
    async () => {
      const info = await nats.jsm.consumers.info(nats.subjects.streams.calls, 'call-tracking-calls');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    },
    { timeoutMs: 15_000, intervalMs: 50, description: 'the calls projection to catch up' },
  );
}
