import { classifyRequestFailure, requestCall, RequestSteps } from './call-request-policy';
import { PlivoApiError, PlivoTransportError } from './plivo-calls.client';

const api = (status: number, retryAfterMs?: number) => new PlivoApiError(status, `Plivo ${status}`, retryAfterMs);
const notSent = () => new PlivoTransportError('connect ECONNREFUSED', 'ECONNREFUSED', false);
const maybeSent = () => new PlivoTransportError('no answer from Plivo in time', 'TIMEOUT', true);

/** Steps whose sends answer from a script: an error to throw, or a request uuid. */
function scripted(answers: (Error | string)[], calledOffAt?: { before: number; reason: string }) {
  const waits: number[] = [];
  let sends = 0;
  let befores = 0;
  const steps: RequestSteps = {
    beforeTry: async () => (++befores === calledOffAt?.before ? calledOffAt.reason : undefined),
    send: async () => {
      const answer = answers[sends++];
      if (answer instanceof Error) throw answer;
      return { requestUuid: answer };
    },
    wait: async (ms) => void waits.push(ms),
  };
  return { steps, waits, sends: () => sends };
}

describe('classifyRequestFailure', () => {
  it.each([
    ['HTTP 429', 'retry', 'plivo_unavailable_429', api(429)],
    ['HTTP 503', 'retry', 'plivo_unavailable_503', api(503)],
    ['connection refused', 'retry', 'plivo_unreachable', notSent()],
    ['HTTP 400', 'rejected', 'plivo_rejected_400', api(400)],
    ['HTTP 401', 'rejected', 'plivo_rejected_401', api(401)],
    ['HTTP 404', 'rejected', 'plivo_rejected_404', api(404)],
    ['HTTP 500', 'unknown', 'plivo_outcome_unknown_500', api(500)],
    ['HTTP 502', 'unknown', 'plivo_outcome_unknown_502', api(502)],
    ['HTTP 504', 'unknown', 'plivo_outcome_unknown_504', api(504)],
    ['timeout after sending', 'unknown', 'plivo_outcome_unknown', maybeSent()],
    ['any other error', 'unknown', 'plivo_outcome_unknown', new Error('something else')],
  ] as const)('%s -> %s (%s)', (_label, kind, reason, error) => {
    expect(classifyRequestFailure(error)).toMatchObject({ kind, reason });
  });
});

describe('requestCall', () => {
  const delays = [10, 20, 40];

  it('places the call on the first answer', async () => {
    const s = scripted(['uuid-1']);
    expect(await requestCall(s.steps, delays)).toEqual({ kind: 'placed', requestUuid: 'uuid-1', tries: 1 });
    expect(s.waits).toEqual([]);
  });

  it('sends again after 429 and 503, with backoff, and places exactly one call', async () => {
    const s = scripted([api(429), api(503), 'uuid-3']);
    expect(await requestCall(s.steps, delays)).toEqual({ kind: 'placed', requestUuid: 'uuid-3', tries: 3 });
    expect(s.waits).toEqual([10, 20]);
    expect(s.sends()).toBe(3);
  });

  it("honours Plivo's Retry-After when longer than the backoff, up to the cap", async () => {
    const s = scripted([api(429, 2_000), api(429, 120_000), 'uuid']);
    await requestCall(s.steps, delays, 30_000);
    expect(s.waits).toEqual([2_000, 30_000]);
  });

  it('sends again after a connection that failed before the request left', async () => {
    const s = scripted([notSent(), 'uuid-2']);
    expect(await requestCall(s.steps, delays)).toMatchObject({ kind: 'placed', tries: 2 });
  });

  it('never sends again when Plivo rejected the request (400 invalid destination)', async () => {
    const s = scripted([api(400), 'never']);
    expect(await requestCall(s.steps, delays)).toMatchObject({ kind: 'not-placed', reason: 'plivo_rejected_400', tries: 1 });
    expect(s.sends()).toBe(1);
  });

  it('never sends again when the request may have been placed', async () => {
    for (const error of [maybeSent(), api(500), api(504)]) {
      const s = scripted([error, 'never']);
      expect(await requestCall(s.steps, delays)).toMatchObject({ kind: 'unknown', tries: 1 });
      expect(s.sends()).toBe(1);
    }
  });

  it('gives up after the last delay when every try was refused', async () => {
    const s = scripted([api(503), api(503), api(503), api(503), 'never']);
    expect(await requestCall(s.steps, delays)).toMatchObject({ kind: 'not-placed', reason: 'plivo_unavailable_503', tries: 4 });
    expect(s.sends()).toBe(4);
    expect(s.waits).toEqual(delays);
  });

  it('is called off before a try when beforeTry says so, without sending', async () => {
    const s = scripted([api(429), 'never'], { before: 2, reason: 'campaign_not_running' });
    expect(await requestCall(s.steps, delays)).toEqual({ kind: 'called-off', reason: 'campaign_not_running', tries: 1 });
    expect(s.sends()).toBe(1);
  });
});
