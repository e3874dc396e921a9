import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { afterCall } from './retry-policy';

const retrying = { ...DEFAULT_CAMPAIGN_SETTINGS, retryFailedCalls: true, maxRetryAttempts: 2, retryDelayMinutes: 0.5 };
const endedAt = '2026-11-21T10:00:00.000Z';

describe('retry policy', () => {
  it.each(['busy', 'no-answer', 'failed', 'timeout'] as const)('retries %s after the delay while the budget lasts', (outcome) => {
    expect(afterCall(outcome, 1, retrying, endedAt)).toEqual({ status: 'retry_scheduled', retryAt: '2026-11-21T10:00:30.000Z' });
    expect(afterCall(outcome, 2, retrying, endedAt).status).toBe('retry_scheduled');
    expect(afterCall(outcome, 3, retrying, endedAt)).toEqual({ status: 'failed' });
  });

  it('never retries a completed call or a cancelled attempt', () => {
    expect(afterCall('completed', 1, retrying, endedAt)).toEqual({ status: 'completed' });
    expect(afterCall('cancelled', 1, retrying, endedAt)).toEqual({ status: 'cancelled' });
  });

  it('keeps voicemail final unless excludeVoicemail is off', () => {
    expect(afterCall('voicemail', 1, retrying, endedAt)).toEqual({ status: 'voicemail' });
    expect(afterCall('voicemail', 1, { ...retrying, excludeVoicemail: false }, endedAt).status).toBe('retry_scheduled');
    expect(afterCall('voicemail', 3, { ...retrying, excludeVoicemail: false }, endedAt)).toEqual({ status: 'voicemail' });
  });

  it('does not retry when retries are off or the budget is zero', () => {
    expect(afterCall('busy', 1, { ...retrying, retryFailedCalls: false }, endedAt)).toEqual({ status: 'failed' });
    expect(afterCall('busy', 1, { ...retrying, maxRetryAttempts: 0 }, endedAt)).toEqual({ status: 'failed' });
  });
});
