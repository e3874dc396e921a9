// What the hangup webhook says for each way a simulated call can end.
// Sources: plivo.com/docs/voice/troubleshooting/hangup-causes (codes 0, 1000-1020,
// 2000-2060, 4000-4030 and the HangupSource names are from there; call-tracking keeps
// the same list in services/call-tracking/src/webhooks/hangup-causes.ts, and its
// outcome.unit.spec.ts checks every ending below against its mapping) and the Q.850
// cause names Plivo passes in `HangupCause`. Codes marked "unconfirmed" could not be
// checked against Plivo's docs (see README.md); the platform does not rely on them:
// for those endings CallStatus (busy, no-answer) or HangupSource (Error) decides.
import { Outcome } from './types';

export interface HangupInfo {
  CallStatus: string;
  HangupCause: string;
  HangupCauseName: string;
  HangupCauseCode: string;
  HangupSource: string;
}

export type CallEnding =
  | Outcome
  | 'machine-hangup'
  | 'answer-url-error'
  | 'api-hangup-answered'
  | 'api-hangup-unanswered';

export const HANGUP_INFO: Record<CallEnding, HangupInfo> = {
  answer: {
    CallStatus: 'completed',
    HangupCause: 'NORMAL_CLEARING',
    HangupCauseName: 'Normal Hangup',
    HangupCauseCode: '4000',
    HangupSource: 'Call recipient',
  },
  voicemail: {
    CallStatus: 'completed',
    HangupCause: 'NORMAL_CLEARING',
    HangupCauseName: 'Normal Hangup',
    HangupCauseCode: '4000',
    HangupSource: 'Call recipient',
  },
  busy: {
    CallStatus: 'busy',
    HangupCause: 'USER_BUSY',
    HangupCauseName: 'Busy Line', // code unconfirmed
    HangupCauseCode: '3000',
    HangupSource: 'Carrier',
  },
  'no-answer': {
    CallStatus: 'no-answer',
    HangupCause: 'NO_ANSWER',
    HangupCauseName: 'Ring Timeout Reached', // code unconfirmed
    HangupCauseCode: '6010',
    HangupSource: 'Plivo',
  },
  failed: {
    CallStatus: 'failed',
    HangupCause: 'DESTINATION_OUT_OF_ORDER',
    HangupCauseName: 'Destination Out Of Service',
    HangupCauseCode: '2010',
    HangupSource: 'Carrier',
  },
  'machine-hangup': {
    CallStatus: 'completed',
    HangupCause: 'NORMAL_CLEARING',
    HangupCauseName: 'Machine Detected', // code unconfirmed
    HangupCauseCode: '6000',
    HangupSource: 'Plivo',
  },
  'answer-url-error': {
    CallStatus: 'completed',
    HangupCause: 'NORMAL_CLEARING',
    HangupCauseName: 'Error Reaching Answer URL', // code unconfirmed
    HangupCauseCode: '7010',
    HangupSource: 'Error',
  },
  'api-hangup-answered': {
    CallStatus: 'completed',
    HangupCause: 'NORMAL_CLEARING',
    HangupCauseName: 'Normal Hangup',
    HangupCauseCode: '4000',
    HangupSource: 'API Request',
  },
  'api-hangup-unanswered': {
    CallStatus: 'cancel',
    HangupCause: 'ORIGINATOR_CANCEL',
    HangupCauseName: 'Canceled',
    HangupCauseCode: '1000',
    HangupSource: 'API Request',
  },
};
