import { ContactStatus } from '@contracts/campaigns/settings';
import { ProgressResponse } from '@contracts/commands';
import { CampaignDoc } from '../read-models/campaigns.read-model';

type Counts = Partial<Record<ContactStatus, number>>;

/**
 * Progress in the legacy shape, from contact counts; the ETA extrapolates the rate observed so far.
 * `outsideWindow`: pending contacts whose call window is closed now (counted as delayed, not waiting).
 */
export function computeProgress(campaign: CampaignDoc, counts: Counts, now: Date, outsideWindow = 0): ProgressResponse {
  const n = (s: ContactStatus) => counts[s] ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const completed = n('completed');
  const failed = n('failed');
  const voicemail = n('voicemail');
  const final = completed + failed + voicemail + n('cancelled') + n('skipped');
  const attempted = completed + failed + voicemail;
  const progress = total === 0 ? 0 : round1((final / total) * 100);
  return {
    campaign: {
      id: campaign._id,
      status: campaign.status,
      totalContacts: total,
      queuedCalls: n('queued') + n('pending') + n('retry_scheduled'),
      activeCalls: n('calling'),
      completedCalls: completed,
      failedCalls: failed,
      voicemailCalls: voicemail,
      progress,
      successRate: attempted === 0 ? 0 : round1((completed / attempted) * 100),
      ...(campaign.startedAt ? { startedAt: campaign.startedAt } : {}),
      ...eta(campaign, final, total, now),
    },
    queue: {
      waiting: n('queued') + n('pending') - outsideWindow,
      active: n('calling'),
      completed: completed + voicemail,
      failed,
      delayed: n('retry_scheduled') + outsideWindow,
    },
  };
}

function eta(campaign: CampaignDoc, final: number, total: number, now: Date): { estimatedCompletionAt?: string } {
  if (campaign.status === 'completed' && campaign.completedAt) return { estimatedCompletionAt: campaign.completedAt };
  if (campaign.status !== 'running' || !campaign.startedAt || final === 0) return {};
  const elapsed = now.getTime() - Date.parse(campaign.startedAt);
  const perContact = elapsed / final;
  return { estimatedCompletionAt: new Date(now.getTime() + perContact * (total - final)).toISOString() };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
