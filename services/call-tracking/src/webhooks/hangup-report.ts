import { CallEndedV1 } from '@contracts/calls/events';
import { HangupParams, outcomeOf } from './outcome';

type EndedData = Omit<typeof CallEndedV1.dataSchema.static, 'callId' | 'campaignId' | 'contactId' | 'attempt' | 'clientId'>;

/** Plivo's hangup callback as CallEnded data: outcome, Plivo's call id, durations and hangup cause (code kept as sent). */
export function endedFromHangup(params: HangupParams & Record<string, string | undefined>, machineDetected: boolean, endedAt: string): EndedData {
  const { outcome, failureReason } = outcomeOf(params, machineDetected);
  const duration = seconds(params.Duration);
  const billDuration = seconds(params.BillDuration);
  return {
    outcome,
    ...(params.CallUUID ? { callUuid: params.CallUUID } : {}),
    endedAt,
    ...(duration !== undefined ? { duration } : {}),
    ...(billDuration !== undefined ? { billDuration } : {}),
    ...(params.HangupCause ? { hangupCause: params.HangupCause } : {}),
    ...(params.HangupCauseCode ? { hangupCauseCode: params.HangupCauseCode } : {}),
    machineDetected: machineDetected || params.Machine === 'true',
    ...(failureReason ? { failureReason } : {}),
  };
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
