import { planCall } from './call-plan';

const config = { ringMs: { min: 100, max: 300 }, talkMs: { min: 500, max: 1500 }, timeScale: 1 };
const mid = () => 0.5;

describe('planCall', () => {
  it('answers after ringing and talks for a sampled time', () => {
    expect(planCall('answer', { machineDetection: undefined }, config, mid)).toEqual({
      outcome: 'answer',
      ringAfterMs: 200,
      settleAfterMs: 200,
      talkMs: 1000,
      machineAfterMs: null,
      syncMachineParam: false,
      machineHangup: false,
    });
  });

  it('multiplies every delay by the time scale', () => {
    const plan = planCall('answer', { machineDetection: undefined }, { ...config, timeScale: 0.1 }, mid);
    expect([plan.ringAfterMs, plan.settleAfterMs, plan.talkMs]).toEqual([20, 20, 100]);
  });

  it('caps the talk time at time_limit', () => {
    expect(planCall('answer', { machineDetection: undefined, timeLimitS: 0.5 }, config, mid).talkMs).toBe(500);
  });

  it('gives up on a no-answer after ring_timeout when given', () => {
    expect(planCall('no-answer', { machineDetection: undefined, ringTimeoutS: 30 }, config, mid).settleAfterMs).toBe(30000);
    expect(planCall('no-answer', { machineDetection: undefined }, config, mid).settleAfterMs).toBe(200);
  });

  it('never talks on unanswered outcomes', () => {
    for (const outcome of ['busy', 'no-answer', 'failed'] as const) {
      expect(planCall(outcome, { machineDetection: 'true' }, config, mid)).toMatchObject({
        talkMs: 0,
        machineAfterMs: null,
        syncMachineParam: false,
      });
    }
  });

  it('detects a voicemail asynchronously when machine_detection_url is given', () => {
    const plan = planCall('voicemail', { machineDetection: 'true', machineDetectionUrl: 'http://x/md' }, config, mid);
    expect(plan).toMatchObject({ machineAfterMs: 500, syncMachineParam: false, machineHangup: false, talkMs: 1000 });
  });

  it('ends the call on detection with machine_detection=hangup', () => {
    const plan = planCall('voicemail', { machineDetection: 'hangup', machineDetectionUrl: 'http://x/md', machineDetectionTimeMs: 2000 }, config, mid);
    expect(plan).toMatchObject({ machineAfterMs: 500, machineHangup: true, talkMs: 500 });
  });

  it('reports the machine in the answer request without machine_detection_url', () => {
    expect(planCall('voicemail', { machineDetection: 'true' }, config, mid)).toMatchObject({ syncMachineParam: true, machineAfterMs: null });
    expect(planCall('answer', { machineDetection: 'true' }, config, mid)).toMatchObject({ syncMachineParam: true });
    expect(planCall('answer', { machineDetection: 'true', machineDetectionUrl: 'http://x/md' }, config, mid)).toMatchObject({
      syncMachineParam: false,
      machineAfterMs: null,
    });
  });
});
