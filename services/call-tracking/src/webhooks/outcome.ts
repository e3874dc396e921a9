import { CallOutcome } from '@contracts/calls/events';

/** The parameters of Plivo's hangup callback that decide the outcome. */
export interface HangupParams {
  CallStatus?: string;
  HangupCause?: string;
  HangupCauseName?: string;
  Machine?: string;
}

/**
 * Outcome of a call from Plivo's hangup callback. Answered by a person -> completed; a machine -> voicemail;
 * busy, no-answer / ring timeout; anything else that did not connect -> failed.
 */
export function outcomeOf(params: HangupParams, machineDetected: boolean): CallOutcome {
  const status = (params.CallStatus ?? '').toLowerCase();
  const cause = (params.HangupCause ?? params.HangupCauseName ?? '').toUpperCase();
  if (status === 'completed') return machineDetected || params.Machine === 'true' ? 'voicemail' : 'completed';
  if (status === 'busy' || cause === 'USER_BUSY') return 'busy';
  if (status === 'no-answer' || status === 'timeout' || cause === 'NO_ANSWER') return 'no-answer';
  return 'failed';
}
