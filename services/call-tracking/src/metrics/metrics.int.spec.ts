// GET /metrics on the real app after real webhooks: the counters move with what happened.
import { postWebhook } from '../../test/signed-webhook';
import { publishCallRequested, startTrackingApp, TEST_AUTH_TOKEN, TrackingApp } from '../../test/tracking-app';

const PUBLIC_BASE = 'https://calls.example.com';
const CAMPAIGN = 'camp-metrics';

/** The value of one sample line, e.g. sample(text, 'x_total{kind="ring"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('call-tracking /metrics (real app, real NATS)', () => {
  let tracking: TrackingApp;
  beforeAll(async () => {
    tracking = await startTrackingApp({ PUBLIC_BASE_URL: PUBLIC_BASE });
  });
  afterAll(async () => tracking?.close());

  it('counts published and duplicate events, refused signatures and webhook latency by kind', async () => {
    await publishCallRequested(tracking.nats, { campaignId: CAMPAIGN, callId: 'k1-a1' });
    const path = `/plivo/${CAMPAIGN}/k1-a1/ring`;
    const ring = { CallUUID: 'u1', CallStatus: 'ringing' };
    const send = (options = {}) => postWebhook(`${tracking.url}${path}`, ring, TEST_AUTH_TOKEN, { signedUrl: `${PUBLIC_BASE}${path}`, ...options });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect((await send({ token: 'wrong' })).status).toBe(403);
    expect((await send({ header: 'none', omitNonce: true })).status).toBe(403);

    const response = await fetch(`${tracking.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'call_events_published_total{kind="ringing",result="published"}')).toBe(1);
    expect(sample(text, 'call_events_published_total{kind="ringing",result="duplicate"}')).toBe(1);
    expect(sample(text, 'plivo_signature_rejections_total{reason="mismatch"}')).toBe(1);
    expect(sample(text, 'plivo_signature_rejections_total{reason="missing"}')).toBe(1);
    expect(sample(text, 'plivo_webhook_duration_seconds_count{kind="ring",status="200"}')).toBe(2);
    expect(sample(text, 'plivo_webhook_duration_seconds_count{kind="ring",status="403"}')).toBe(2);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('counts calls ended by outcome, each call once', async () => {
    const hangup = (callId: string, params: Record<string, string>) => {
      const path = `/plivo/${CAMPAIGN}/${callId}/hangup`;
      return postWebhook(`${tracking.url}${path}`, { CallUUID: callId, Event: 'Hangup', ...params }, TEST_AUTH_TOKEN, { signedUrl: `${PUBLIC_BASE}${path}` });
    };
    for (const callId of ['e1-a1', 'e2-a1', 'e3-a1']) await publishCallRequested(tracking.nats, { campaignId: CAMPAIGN, callId });
    const busy = { CallStatus: 'busy', HangupCause: 'USER_BUSY', HangupCauseCode: '3010', Duration: '0' };
    const completed = { CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', HangupCauseCode: '4000', Duration: '30' };
    expect((await hangup('e1-a1', busy)).status).toBe(200);
    expect((await hangup('e1-a1', busy)).status).toBe(200); // a duplicate counts once
    expect((await hangup('e2-a1', completed)).status).toBe(200);
    expect((await hangup('e3-a1', completed)).status).toBe(200);
    const text = await (await fetch(`${tracking.url}/metrics`)).text();
    expect(sample(text, 'calls_ended_total{outcome="busy"}')).toBe(1);
    expect(sample(text, 'calls_ended_total{outcome="completed"}')).toBe(2);
  });
});
