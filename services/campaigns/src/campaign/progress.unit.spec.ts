import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { CampaignDoc } from '../read-models/campaigns.read-model';
import { computeProgress } from './progress';

const campaign: CampaignDoc = {
  _id: 'c1',
  clientId: 'cl',
  name: 'n',
  fromNumber: '+14155550100',
  status: 'running',
  settings: DEFAULT_CAMPAIGN_SETTINGS,
  createdAt: '2026-11-20T10:00:00.000Z',
  startedAt: '2026-11-20T10:00:00.000Z',
  _rev: 3,
};

describe('computeProgress', () => {
  it('reports the legacy shape with exact counters and an ETA from the observed rate', () => {
    const p = computeProgress(campaign, { queued: 20, calling: 5, completed: 70, failed: 3, voicemail: 2 }, new Date('2026-11-20T10:01:15.000Z'));
    expect(p.campaign).toMatchObject({
      totalContacts: 100,
      queuedCalls: 20,
      activeCalls: 5,
      completedCalls: 70,
      failedCalls: 3,
      voicemailCalls: 2,
      progress: 75,
      successRate: 93.3,
    });
    // 75 final contacts took 75 s: the remaining 25 take 25 s more.
    expect(p.campaign.estimatedCompletionAt).toBe('2026-11-20T10:01:40.000Z');
    expect(p.queue).toEqual({ waiting: 20, active: 5, completed: 72, failed: 3, delayed: 0 });
  });

  it('counts retries due later and contacts outside their call window as delayed, not waiting', () => {
    const p = computeProgress(campaign, { pending: 10, queued: 4, retry_scheduled: 3, completed: 5 }, new Date('2026-11-20T10:01:00.000Z'), 6);
    expect(p.queue).toEqual({ waiting: 8, active: 0, completed: 5, failed: 0, delayed: 9 });
    expect(p.campaign.queuedCalls).toBe(17);
  });

  it('is 0 % for an empty campaign', () => {
    expect(computeProgress({ ...campaign, status: 'draft' }, {}, new Date()).campaign.progress).toBe(0);
  });
});
