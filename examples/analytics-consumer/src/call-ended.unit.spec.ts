import { hourOf, parseCallEnded } from './call-ended';

const ended = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'k1-a1:ended',
    type: 'CallEnded',
    version: 1,
    occurredAt: '2026-11-20T10:15:03.000Z',
    data: { callId: 'k1-a1', campaignId: 'c1', contactId: 'k1', attempt: 1, clientId: 'cl1', outcome: 'busy', endedAt: '2026-11-20T10:15:02.512Z', ...data },
    metadata: { aggregateId: 'k1', clientId: 'cl1', campaignId: 'c1', correlationId: 'x' },
    ...over,
  });

describe('parseCallEnded', () => {
  it('reads a CallEnded v1 and buckets it by the UTC hour it ended in', () => {
    expect(parseCallEnded(ended())).toEqual({
      kind: 'ended',
      call: { eventId: 'k1-a1:ended', callId: 'k1-a1', campaignId: 'c1', clientId: 'cl1', outcome: 'busy', endedAt: '2026-11-20T10:15:02.512Z', hour: '2026-11-20T10:00Z' },
    });
    expect(parseCallEnded(ended({}, { endedAt: '2026-11-20T12:59:59.999+02:00' }))).toMatchObject({ call: { hour: '2026-11-20T10:00Z' } });
  });

  it('skips other types and versions, as the contract asks', () => {
    expect(parseCallEnded(ended({ type: 'CallRinging' })).kind).toBe('skip');
    expect(parseCallEnded(ended({ version: 2 })).kind).toBe('skip');
  });

  it('calls malformed messages invalid', () => {
    expect(parseCallEnded('{not json').kind).toBe('invalid');
    expect(parseCallEnded('null').kind).toBe('invalid');
    expect(parseCallEnded(ended({}, { outcome: 'exploded' })).kind).toBe('invalid');
    expect(parseCallEnded(ended({}, { endedAt: 'yesterday' })).kind).toBe('invalid');
    expect(parseCallEnded(ended({}, { callId: 42 })).kind).toBe('invalid');
  });

  it('formats hours as UTC', () => {
    expect(hourOf(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00Z');
  });
});
