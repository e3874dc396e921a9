import { planCall } from './call-plan';
import { chance, injectedApiError, planChaos } from './chaos';
import { DEFAULT_CONFIG } from './config';

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};
const noDetection = { machineDetection: undefined };
const asyncRequest = { machineDetection: 'true' as const, machineDetectionUrl: 'http://x/machine' };
const syncRequest = { machineDetection: 'true' as const };

describe('chance', () => {
  it('never draws a number when the knob is off, and always hits at 1', () => {
    const random = jest.fn(() => 0);
    expect(chance(0, random)).toBe(false);
    expect(chance(1, random)).toBe(true);
    expect(random).not.toHaveBeenCalled();
  });

  it('hits below the rate', () => {
    expect(chance(0.3, () => 0.29)).toBe(true);
    expect(chance(0.3, () => 0.3)).toBe(false);
  });
});

describe('planChaos', () => {
  it('is all off by default', () => {
    expect(planChaos(DEFAULT_CONFIG, noDetection, () => 0)).toEqual({
      reordered: false,
      hangupDropped: false,
      duplicateRate: 0,
      webhookDelayMs: { min: 0, max: 0 },
      machineDetection: 'off',
    });
  });

  it('decides reorder and drop per call, and scales the webhook delay', () => {
    const config = { ...DEFAULT_CONFIG, reorderRate: 0.5, dropHangupRate: 0.5, duplicateRate: 0.25, webhookDelayMs: { min: 100, max: 300 }, timeScale: 0.1 };
    expect(planChaos(config, noDetection, sequence(0.1, 0.9))).toMatchObject({
      reordered: true,
      hangupDropped: false,
      duplicateRate: 0.25,
      webhookDelayMs: { min: 10, max: 30 },
    });
    expect(planChaos(config, noDetection, sequence(0.9, 0.1))).toMatchObject({ reordered: false, hangupDropped: true });
  });

  it.each([
    ['auto', asyncRequest, 'async'],
    ['auto', syncRequest, 'sync'],
    ['sync', asyncRequest, 'sync'],
    ['async', asyncRequest, 'async'],
    ['async', syncRequest, 'async'],
    ['sync', noDetection, 'off'],
  ] as const)('machine detection mode %s with %j reports %s', (mode, request, expected) => {
    expect(planChaos({ ...DEFAULT_CONFIG, machineDetection: mode }, request).machineDetection).toBe(expected);
  });
});

describe('planCall with a machine detection mode', () => {
  const timing = { ringMs: { min: 100, max: 100 }, talkMs: { min: 1000, max: 1000 }, timeScale: 1 };

  it('sync puts Machine on the answer callback even when a machine_detection_url is given', () => {
    const plan = planCall('voicemail', asyncRequest, { ...timing, machineDetection: 'sync' });
    expect(plan).toMatchObject({ syncMachineParam: true, machineAfterMs: null });
  });

  it('async reports only to machine_detection_url, and not at all without one', () => {
    expect(planCall('voicemail', asyncRequest, { ...timing, machineDetection: 'async' })).toMatchObject({ syncMachineParam: false, machineAfterMs: 500 });
    expect(planCall('voicemail', syncRequest, { ...timing, machineDetection: 'async' })).toMatchObject({ syncMachineParam: false, machineAfterMs: null });
  });
});

describe('injectedApiError', () => {
  const request = { to: '14155550123' };

  it('refuses nothing when the rate is 0', () => {
    expect(injectedApiError({ apiErrorRate: 0, apiErrorStatuses: [429] }, request, 1, () => 0)).toBeNull();
  });

  it('refuses with a status from the list and a Plivo-shaped body', () => {
    const refusal = injectedApiError({ apiErrorRate: 0.5, apiErrorStatuses: [429, 500, 503] }, request, 42, sequence(0.1, 0.99));
    expect(refusal).toEqual({ at: 42, status: 503, body: { api_id: expect.any(String), error: 'service unavailable' }, request });
    expect(injectedApiError({ apiErrorRate: 0.5, apiErrorStatuses: [429] }, request, 1, () => 0.7)).toBeNull();
  });
});
