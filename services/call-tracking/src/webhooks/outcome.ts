import { CallOutcome } from '@contracts/calls/events';
import { DOCUMENTED_HANGUP_CAUSES, HangupClass, UNKNOWN_HANGUP_CODE } from './hangup-causes';

/** The parameters of Plivo's hangup callback that decide the outcome. */
export interface HangupParams {
  CallStatus?: string;
  HangupCause?: string;
  HangupCauseName?: string;
  HangupCauseCode?: string;
  HangupSource?: string;
  Machine?: string;
}

export interface HangupOutcome {
  outcome: CallOutcome;
  /** Why a call that did not connect failed (or was cancelled), in Plivo's words; kept for the call log. */
  failureReason?: string;
}

/**
 * The outcome of a call from Plivo's hangup callback, most specific evidence first:
 * 1. a HangupCauseCode Plivo documents (hangup-causes.ts);
 * 2. HangupSource `Error` (an error condition ended the call): failed;
 * 3. CallStatus: completed (answered), busy, no-answer; failed, timeout (Plivo: a carrier or network
 *    problem while connecting) and cancel: failed;
 * 4. the telephony cause name (USER_BUSY, NO_ANSWER, NO_USER_RESPONSE);
 * 5. anything else, e.g. an unknown code with no status: failed, with the code in failureReason.
 * An answered call is voicemail when a machine was detected (on this callback or before it).
 */
export function outcomeOf(params: HangupParams, machineDetected: boolean): HangupOutcome {
  const answered = (): HangupOutcome => ({ outcome: machineDetected || params.Machine === 'true' ? 'voicemail' : 'completed' });
  const byClass = (c: HangupClass): HangupOutcome =>
    c === 'answered' ? answered() : { outcome: c, failureReason: reasonOf(params) };

  const code = (params.HangupCauseCode ?? '').trim();
  const documented = DOCUMENTED_HANGUP_CAUSES[code];
  if (documented) return byClass(documented.class);
  if ((params.HangupSource ?? '').toLowerCase() === 'error') return byClass('failed');

  switch ((params.CallStatus ?? '').toLowerCase()) {
    case 'completed':
      return answered();
    case 'busy':
      return { outcome: 'busy' };
    case 'no-answer':
      return { outcome: 'no-answer' };
    case 'failed':
    case 'timeout':
    case 'cancel':
      return byClass('failed');
  }
  switch ((params.HangupCause ?? '').toUpperCase()) {
    case 'USER_BUSY':
      return { outcome: 'busy' };
    case 'NO_ANSWER':
    case 'NO_USER_RESPONSE':
      return { outcome: 'no-answer' };
  }
  return byClass('failed');
}

function reasonOf(params: HangupParams): string {
  const code = (params.HangupCauseCode ?? '').trim();
  const name = params.HangupCauseName?.trim() || DOCUMENTED_HANGUP_CAUSES[code]?.name;
  const known = code === '' || code === UNKNOWN_HANGUP_CODE || DOCUMENTED_HANGUP_CAUSES[code] !== undefined;
  const described = name ?? params.HangupCause ?? params.CallStatus ?? 'no hangup cause given';
  if (known) return code && code !== UNKNOWN_HANGUP_CODE ? `${described} (${code})` : described;
  return `unknown Plivo hangup cause ${code}${name ? ` (${name})` : ''}`;
}
