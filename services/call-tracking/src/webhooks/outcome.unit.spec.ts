import { outcomeOf } from './outcome';

describe('outcomeOf (Plivo hangup callback -> call outcome)', () => {
  it.each([
    [{ CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING' }, false, 'completed'],
    [{ CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING' }, true, 'voicemail'],
    [{ CallStatus: 'completed', Machine: 'true' }, false, 'voicemail'],
    [{ CallStatus: 'busy', HangupCause: 'USER_BUSY' }, false, 'busy'],
    [{ CallStatus: 'no-answer', HangupCause: 'NO_ANSWER' }, false, 'no-answer'],
    [{ CallStatus: 'timeout' }, false, 'no-answer'],
    [{ CallStatus: 'failed', HangupCause: 'UNALLOCATED_NUMBER' }, false, 'failed'],
    [{ CallStatus: 'cancel' }, false, 'failed'],
    [{}, false, 'failed'],
  ] as const)('%j (machine %s) -> %s', (params, machine, expected) => {
    expect(outcomeOf(params, machine)).toBe(expected);
  });
});
