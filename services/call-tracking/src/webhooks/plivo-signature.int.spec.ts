// Plivo V3 signatures through the real app (module, guard, controller) on real NATS: what is refused gets
// 403 and publishes nothing; what is accepted publishes its event.
import { newNonce, signV3 } from '../../../../tools/plivo-simulator/src/signature';
import { postWebhook } from '../../test/signed-webhook';
import { publishCallRequested, startTrackingApp, storedKinds, TEST_AUTH_TOKEN, TrackingApp } from '../../test/tracking-app';

// The service sits behind a proxy: Plivo calls the public URL, the service sees only path and query.
const PUBLIC_BASE = 'https://calls.example.com/tracking';
const MAIN_TOKEN = 'main-account-token';
const CAMPAIGN = 'camp-sig';

describe('Plivo webhook signatures (real app, real NATS)', () => {
  let tracking: TrackingApp;
  let n = 0;
  const local = (path: string) => `${tracking.url}${path}`;
  const publicUrl = (path: string) => `${PUBLIC_BASE}${path}`;

  /** A call the dialer has requested, with the ring webhook path of it. */
  async function newCall(): Promise<{ callId: string; ring: string; hangup: string }> {
    const callId = `k${++n}-a1`;
    await publishCallRequested(tracking.nats, { campaignId: CAMPAIGN, callId });
    return { callId, ring: `/plivo/${CAMPAIGN}/${callId}/ring`, hangup: `/plivo/${CAMPAIGN}/${callId}/hangup` };
  }
  const ringParams = { CallUUID: 'uuid-1', RequestUUID: 'req-1', CallStatus: 'ringing', Event: 'Ring', To: '+14155552671' };
  const ringsStored = async (callId: string) => (await storedKinds(tracking.nats, CAMPAIGN, callId)).ringing ?? 0;

  beforeAll(async () => {
    tracking = await startTrackingApp({ PUBLIC_BASE_URL: PUBLIC_BASE, PLIVO_MAIN_AUTH_TOKEN: MAIN_TOKEN });
  });
  afterAll(async () => tracking?.close());

  it('accepts a valid V3 signature over the public URL and publishes the event', async () => {
    const call = await newCall();
    const res = await postWebhook(local(call.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(call.ring) });
    expect(res.status).toBe(200);
    expect(await ringsStored(call.callId)).toBe(1);
  });

  it('refuses a signed form body over 64 KB with 413 and publishes nothing; one under it is accepted', async () => {
    const call = await newCall();
    const padded = (bytes: number) => ({ ...ringParams, Padding: 'x'.repeat(bytes) });
    const tooLarge = await postWebhook(local(call.ring), padded(64 * 1024), TEST_AUTH_TOKEN, { signedUrl: publicUrl(call.ring) });
    expect(tooLarge.status).toBe(413);
    expect(await ringsStored(call.callId)).toBe(0);
    const justUnder = await postWebhook(local(call.ring), padded(60 * 1024), TEST_AUTH_TOKEN, { signedUrl: publicUrl(call.ring) });
    expect(justUnder.status).toBe(200);
    expect(await ringsStored(call.callId)).toBe(1);
  });

  it('accepts a signature over a URL with a query string (query params sorted into the signed URL)', async () => {
    const call = await newCall();
    const path = `${call.ring}?z=last&a=first`;
    const res = await postWebhook(local(path), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(path) });
    expect(res.status).toBe(200);
    expect(await ringsStored(call.callId)).toBe(1);
  });

  describe('refuses with 403 and publishes nothing', () => {
    const refused: [string, (call: { ring: string }) => Promise<{ status: number; body: string }>][] = [
      ['no signature headers at all', (c) => postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), header: 'none', omitNonce: true })],
      ['a signature without its nonce', (c) => postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), omitNonce: true })],
      ['a nonce without a signature', (c) => postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), header: 'none' })],
      ['a tampered body parameter', (c) =>
        postWebhook(local(c.ring), { ...ringParams, CallStatus: 'completed' }, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), signedParams: ringParams })],
      ['an added body parameter', (c) =>
        postWebhook(local(c.ring), { ...ringParams, Machine: 'true' }, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), signedParams: ringParams })],
      ['a tampered path (signature of another call)', (c) =>
        postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring.replace(/k\d+-a1/, 'k999-a1')) })],
      ['a tampered query string', (c) =>
        postWebhook(local(`${c.ring}?attempt=2`), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(`${c.ring}?attempt=1`) })],
      ['an added query string', (c) => postWebhook(local(`${c.ring}?x=1`), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring) })],
      ['a signature over the internal URL instead of PUBLIC_BASE_URL', (c) => postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN)],
      ['the wrong auth token', (c) => postWebhook(local(c.ring), ringParams, 'not-the-token', { signedUrl: publicUrl(c.ring) })],
      ['the main account token in the V3 header (only Ma-V3 uses it)', (c) =>
        postWebhook(local(c.ring), ringParams, MAIN_TOKEN, { signedUrl: publicUrl(c.ring) })],
      ['a subaccount token in the Ma-V3 header', (c) =>
        postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), header: 'ma-v3' })],
      ['several comma-separated signatures, none valid', (c) =>
        postWebhook(local(c.ring), ringParams, 'not-the-token', { signedUrl: publicUrl(c.ring), signatureValue: (s) => `${s},${s.slice(1)}x,AAAA` })],
      ['a signature made with another nonce', (c) => {
        const signature = signV3('POST', publicUrl(c.ring), ringParams, newNonce(), TEST_AUTH_TOKEN);
        return postWebhook(local(c.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(c.ring), signatureValue: () => signature });
      }],
    ];

    it.each(refused)('%s', async (_name, send) => {
      const call = await newCall();
      const res = await send(call);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 403, message: expect.stringMatching(/Plivo signature/) });
      expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1 });
    });

    it('a tampered hangup publishes no CallEnded', async () => {
      const call = await newCall();
      const hangup = { CallUUID: 'uuid-1', CallStatus: 'busy', HangupCause: 'USER_BUSY', HangupCauseCode: '3000' };
      const res = await postWebhook(local(call.hangup), { ...hangup, CallStatus: 'completed' }, TEST_AUTH_TOKEN, {
        signedUrl: publicUrl(call.hangup),
        signedParams: hangup,
      });
      expect(res.status).toBe(403);
      expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1 });
    });
  });

  it('accepts X-Plivo-Signature-Ma-V3 signed with the main account token', async () => {
    const call = await newCall();
    const res = await postWebhook(local(call.ring), ringParams, MAIN_TOKEN, { signedUrl: publicUrl(call.ring), header: 'ma-v3' });
    expect(res.status).toBe(200);
    expect(await ringsStored(call.callId)).toBe(1);
  });

  it('accepts a header with several comma-separated signatures when one of them is valid', async () => {
    const call = await newCall();
    const res = await postWebhook(local(call.ring), ringParams, TEST_AUTH_TOKEN, {
      signedUrl: publicUrl(call.ring),
      signatureValue: (valid) => `${signV3('POST', publicUrl(call.ring), ringParams, '1', 'rotated-old-token')},${valid}`,
    });
    expect(res.status).toBe(200);
    expect(await ringsStored(call.callId)).toBe(1);
  });

  it('has no replay window (V3 has no timestamp): a replayed request is accepted but publishes nothing new', async () => {
    const call = await newCall();
    const nonce = newNonce();
    const first = await postWebhook(local(call.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(call.ring), nonce });
    const replay = await postWebhook(local(call.ring), ringParams, TEST_AUTH_TOKEN, { signedUrl: publicUrl(call.ring), nonce });
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1, ringing: 1 });
  });
});
