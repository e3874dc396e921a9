import { CampaignSettings, ContactStatus } from '@contracts/campaigns/settings';
import { CallOutcome } from '@contracts/calls/events';

export type AfterCall = { status: 'retry_scheduled'; retryAt: string } | { status: Exclude<ContactStatus, 'retry_scheduled'> };

type RetrySettings = Pick<CampaignSettings, 'retryFailedCalls' | 'maxRetryAttempts' | 'retryDelayMinutes' | 'excludeVoicemail'>;

/**
 * What becomes of a contact once a call to it ended. `callsMade` counts this call too; a contact is
 * called at most 1 + maxRetryAttempts times, whatever the sequence of outcomes.
 */
export function afterCall(outcome: CallOutcome, callsMade: number, settings: RetrySettings, endedAt: string): AfterCall {
  const status = finalStatusOf(outcome);
  const retryable = status === 'failed' || (status === 'voicemail' && !settings.excludeVoicemail);
  if (!settings.retryFailedCalls || !retryable || callsMade >= 1 + settings.maxRetryAttempts) return { status };
  const retryAt = new Date(Date.parse(endedAt) + settings.retryDelayMinutes * 60_000).toISOString();
  return { status: 'retry_scheduled', retryAt };
}

/** The contact status a call outcome leaves when no retry follows. */
export function finalStatusOf(outcome: CallOutcome): Exclude<ContactStatus, 'retry_scheduled'> {
  switch (outcome) {
    case 'completed':
      return 'completed';
    case 'voicemail':
      return 'voicemail';
    case 'cancelled':
      return 'cancelled';
    case 'busy':
    case 'no-answer':
    case 'failed':
    case 'timeout':
      return 'failed';
    default: {
      const unknown: never = outcome;
      return unknown;
    }
  }
}
