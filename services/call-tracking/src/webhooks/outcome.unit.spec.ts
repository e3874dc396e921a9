import { CallEnding, HANGUP_INFO } from '../../../../tools/plivo-simulator/src/hangup-causes';
import { DOCUMENTED_HANGUP_CAUSES } from './hangup-causes';
import { endedFromHangup } from './hangup-report';
import { HangupParams, outcomeOf } from './outcome';

describe('outcomeOf (Plivo hangup callback -> call outcome)', () => {
  it.each([
    // documented codes decide first
    [{ CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', HangupCauseCode: '4000' }, false, 'completed'],
    [{ CallStatus: 'completed', HangupCauseCode: '4000' }, true, 'voicemail'],
    [{ CallStatus: 'completed', HangupCauseCode: '4010', HangupCauseName: 'End Of XML Instructions' }, false, 'completed'],
    [{ CallStatus: 'completed', HangupCauseCode: '4000', Machine: 'true' }, false, 'voicemail'],
    [{ CallStatus: 'failed', HangupCauseCode: '2000' }, false, 'failed'],
    [{ CallStatus: 'failed', HangupCauseCode: '2010' }, false, 'failed'],
    [{ CallStatus: 'failed', HangupCauseCode: '2030' }, false, 'failed'],
    [{ CallStatus: 'cancel', HangupCauseCode: '1000', HangupSource: 'API Request' }, false, 'cancelled'],
    [{ CallStatus: 'cancel', HangupCauseCode: '1010' }, false, 'failed'],
    // a documented code outranks a status that says otherwise
    [{ CallStatus: 'completed', HangupCauseCode: '2010' }, false, 'failed'],
    // an error ended it
    [{ CallStatus: 'completed', HangupCauseCode: '7010', HangupSource: 'Error' }, false, 'failed'],
    // no documented code: CallStatus
    [{ CallStatus: 'busy', HangupCause: 'USER_BUSY', HangupCauseCode: '3000' }, false, 'busy'],
    [{ CallStatus: 'no-answer', HangupCause: 'NO_ANSWER', HangupCauseCode: '6010' }, false, 'no-answer'],
    [{ CallStatus: 'completed', HangupCauseCode: '0' }, false, 'completed'],
    [{ CallStatus: 'completed', HangupCauseCode: '9999' }, true, 'voicemail'],
    [{ CallStatus: 'timeout' }, false, 'failed'],
    [{ CallStatus: 'cancel' }, false, 'failed'],
    [{ CallStatus: 'failed', HangupCause: 'UNALLOCATED_NUMBER' }, false, 'failed'],
    [{ CallStatus: 'failed', HangupCause: 'CALL_REJECTED' }, false, 'failed'],
    // no status either: the telephony cause name
    [{ HangupCause: 'USER_BUSY' }, false, 'busy'],
    [{ HangupCause: 'NO_USER_RESPONSE' }, false, 'no-answer'],
    // nothing known
    [{ HangupCauseCode: '5555' }, false, 'failed'],
    [{}, false, 'failed'],
  ] as [HangupParams, boolean, string][])('%j (machine %s) -> %s', (params, machine, expected) => {
    expect(outcomeOf(params, machine).outcome).toBe(expected);
  });

  it('keeps an unknown code in the failure reason', () => {
    expect(outcomeOf({ HangupCauseCode: '5555', HangupCauseName: 'Something New' }, false)).toEqual({
      outcome: 'failed',
      failureReason: 'unknown Plivo hangup cause 5555 (Something New)',
    });
    expect(outcomeOf({ HangupCauseCode: '5555' }, false).failureReason).toBe('unknown Plivo hangup cause 5555');
  });

  it('names a documented failure in Plivo words', () => {
    expect(outcomeOf({ CallStatus: 'failed', HangupCauseCode: '2010' }, false).failureReason).toBe('Destination Out Of Service (2010)');
    expect(outcomeOf({ CallStatus: 'timeout' }, false).failureReason).toBe('timeout');
    expect(outcomeOf({ CallStatus: 'completed', HangupCauseCode: '4000' }, false).failureReason).toBeUndefined();
  });

  it('maps every documented answered code to completed or voicemail only', () => {
    for (const [code, cause] of Object.entries(DOCUMENTED_HANGUP_CAUSES)) {
      const { outcome } = outcomeOf({ HangupCauseCode: code }, false);
      expect(cause.class === 'answered' ? outcome === 'completed' : outcome !== 'completed').toBe(true);
    }
  });
});

describe('endedFromHangup', () => {
  it('builds CallEnded data with durations, the cause and the code as sent', () => {
    const params = { CallUUID: 'u1', CallStatus: 'failed', HangupCause: 'DESTINATION_OUT_OF_ORDER', HangupCauseCode: '2010', Duration: '0', BillDuration: 'x' };
    expect(endedFromHangup(params, false, '2026-11-20T10:00:00.000Z')).toEqual({
      outcome: 'failed',
      callUuid: 'u1',
      endedAt: '2026-11-20T10:00:00.000Z',
      duration: 0,
      hangupCause: 'DESTINATION_OUT_OF_ORDER',
      hangupCauseCode: '2010',
      machineDetected: false,
      failureReason: 'Destination Out Of Service (2010)',
    });
  });
});

describe('the Plivo simulator ends calls the way the mapping reads them', () => {
  // What each simulated ending must count as; a machine is detected before the hangup for voicemail.
  const expected: Record<CallEnding, [outcome: string, machineDetected: boolean]> = {
    answer: ['completed', false],
    voicemail: ['voicemail', true],
    busy: ['busy', false],
    'no-answer': ['no-answer', false],
    failed: ['failed', false],
    'machine-hangup': ['voicemail', true],
    'answer-url-error': ['failed', false],
    'api-hangup-answered': ['completed', false],
    'api-hangup-unanswered': ['cancelled', false],
  };
  it.each(Object.keys(expected) as CallEnding[])('%s', (ending) => {
    const [outcome, machine] = expected[ending];
    expect(outcomeOf(HANGUP_INFO[ending], machine).outcome).toBe(outcome);
  });

  it('uses only documented codes where Plivo documents one for that ending', () => {
    for (const ending of ['answer', 'voicemail', 'failed', 'api-hangup-answered', 'api-hangup-unanswered'] as CallEnding[]) {
      const info = HANGUP_INFO[ending];
      expect(DOCUMENTED_HANGUP_CAUSES[info.HangupCauseCode]?.name).toBe(info.HangupCauseName);
    }
  });
});
