// What the answer webhook reads of a campaign (its runtime entry), on real NATS KV: reused for a
// moment, but never a missing entry.
import { putCampaignRuntime, startTrackingApp, TrackingApp } from '../../test/tracking-app';
import { CallDirectory } from './call-directory';

describe('CallDirectory campaign runtime (real NATS KV)', () => {
  let tracking: TrackingApp;
  beforeAll(async () => {
    tracking = await startTrackingApp();
  });
  afterAll(async () => tracking?.close());

  it('does not keep a campaign it did not find, and reuses one it found', async () => {
    const directory = new CallDirectory(tracking.nats);
    expect(await directory.campaign('camp-late')).toBeUndefined();
    await putCampaignRuntime(tracking.nats, { campaignId: 'camp-late', wssUrl: 'wss://bot.example.com/first' });
    expect((await directory.campaign('camp-late'))?.wssUrl).toBe('wss://bot.example.com/first');
    await putCampaignRuntime(tracking.nats, { campaignId: 'camp-late', wssUrl: 'wss://bot.example.com/second' });
    // Within the 2 s it is kept for, the entry read first still serves.
    expect((await directory.campaign('camp-late'))?.wssUrl).toBe('wss://bot.example.com/first');
  });
});
