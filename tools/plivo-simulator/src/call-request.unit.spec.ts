import { parseCallRequest } from './call-request';

const valid = { from: '+14155550100', to: '14155550199', answer_url: 'https://app.example/answer' };

function errorFor(body: Record<string, unknown>): string {
  const parsed = parseCallRequest(body);
  if (parsed.ok) throw new Error('expected a validation error');
  return parsed.error;
}

describe('parseCallRequest', () => {
  it('accepts the minimal request with POST defaults', () => {
    const parsed = parseCallRequest(valid);
    expect(parsed).toMatchObject({
      ok: true,
      raw: valid,
      call: { from: '+14155550100', to: '14155550199', answerUrl: 'https://app.example/answer', answerMethod: 'POST', hangupMethod: 'POST' },
    });
  });

  it('reads optional parameters, including JSON numbers', () => {
    const parsed = parseCallRequest({
      ...valid,
      ring_url: 'http://a/ring',
      hangup_url: 'http://a/hangup',
      answer_method: 'get',
      machine_detection: 'hangup',
      machine_detection_url: 'http://a/md',
      ring_timeout: 30,
      time_limit: '120',
    });
    expect(parsed).toMatchObject({
      ok: true,
      raw: { ring_timeout: '30', time_limit: '120' },
      call: { answerMethod: 'GET', machineDetection: 'hangup', ringUrl: 'http://a/ring' },
      timing: { ringTimeoutS: 30, timeLimitS: 120, machineDetection: 'hangup', machineDetectionUrl: 'http://a/md' },
    });
  });

  it('treats machine_detection=false as off', () => {
    expect(parseCallRequest({ ...valid, machine_detection: 'false' })).toMatchObject({ ok: true, call: { machineDetection: undefined } });
  });

  it.each([
    [{ to: valid.to, answer_url: valid.answer_url }, 'from parameter is required'],
    [{ from: valid.from, answer_url: valid.answer_url }, 'to parameter is required'],
    [{ from: valid.from, to: valid.to }, 'answer_url parameter is required'],
    [{ ...valid, to: 'not-a-number' }, 'invalid to number'],
    [{ ...valid, to: '+123' }, 'invalid to number'],
    [{ ...valid, to: '1415<1416' }, 'bulk calls'],
    [{ ...valid, from: 'abc' }, 'invalid from number'],
    [{ ...valid, answer_url: 'ftp://x/y' }, 'answer_url must be an http or https URL'],
    [{ ...valid, answer_url: 'nope' }, 'answer_url is not a valid URL'],
    [{ ...valid, hangup_method: 'PUT' }, 'hangup_method must be GET or POST'],
    [{ ...valid, machine_detection: 'maybe' }, 'machine_detection must be'],
    [{ ...valid, ring_timeout: '0' }, 'ring_timeout must be an integer'],
    [{ ...valid, time_limit: '1.5' }, 'time_limit must be an integer'],
  ])('rejects %j', (body, message) => {
    expect(errorFor(body)).toContain(message);
  });
});
