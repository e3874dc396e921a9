// Plivo's hangup cause codes (HangupCauseCode on the hangup callback) that Plivo's docs confirm
// (plivo.com/docs/voice/troubleshooting/hangup-causes), by what they say about a call attempt.
// Codes not listed here are decided by CallStatus instead (see outcome.ts); docs/plivo.md lists
// what could not be confirmed.

/** answered: the callee picked up (a person or a machine); cancelled: we hung it up before answer; failed: it never connected. */
export type HangupClass = 'answered' | 'cancelled' | 'failed';

export const DOCUMENTED_HANGUP_CAUSES: Readonly<Record<string, { name: string; class: HangupClass }>> = {
  '1000': { name: 'Canceled', class: 'cancelled' }, // by the Hangup Call API, before answer
  '1010': { name: 'Canceled (Out Of Credits)', class: 'failed' },
  '1020': { name: 'Canceled (Simultaneous dial limit reached)', class: 'failed' },
  '2000': { name: 'Invalid Destination Address', class: 'failed' },
  '2010': { name: 'Destination Out Of Service', class: 'failed' },
  '2020': { name: 'Endpoint Not Registered', class: 'failed' },
  '2030': { name: 'Destination Country Barred', class: 'failed' },
  '2040': { name: 'Destination Number Barred', class: 'failed' },
  '2060': { name: 'Loop Detected', class: 'failed' },
  '4000': { name: 'Normal Hangup', class: 'answered' },
  '4010': { name: 'End Of XML Instructions', class: 'answered' },
  '4020': { name: 'Multiparty Call Ended', class: 'answered' },
  '4030': { name: 'Kicked Out Of Multiparty Call', class: 'answered' },
};

/** `0 Unknown` is documented too, and says nothing: the callback's other fields decide. */
export const UNKNOWN_HANGUP_CODE = '0';
