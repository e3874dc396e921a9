import { applyConfigPatch, ConfigError, configFromEnv, DEFAULT_CONFIG, parseOutcomes, parseRange, publicConfig } from './config';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configFromEnv', () => {
  it('uses the defaults for an empty environment', () => {
    expect(configFromEnv({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      port: 4010,
      authId: 'SIMULATED_AUTH_ID',
      authToken: 'simulated-auth-token',
      outcomes: { answer: 100, voicemail: 0, busy: 0, 'no-answer': 0, failed: 0 },
      timeScale: 1,
    });
  });

  it('reads every variable', () => {
    const config = configFromEnv({
      SIM_PORT: '5000',
      PLIVO_AUTH_ID: 'MAXXX',
      PLIVO_AUTH_TOKEN: 'tok',
      SIM_OUTCOMES: 'answer=80,voicemail=5,busy=5,no-answer=5,failed=5',
      SIM_RING_MS: '100-300',
      SIM_TALK_MS: '500',
      SIM_TIME_SCALE: '0.1',
      SIM_OUTCOME_BY_NUMBER: '{"+14155550100":"busy"}',
      SIM_WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toEqual({
      port: 5000,
      authId: 'MAXXX',
      authToken: 'tok',
      outcomes: { answer: 80, voicemail: 5, busy: 5, 'no-answer': 5, failed: 5 },
      ringMs: { min: 100, max: 300 },
      talkMs: { min: 500, max: 500 },
      timeScale: 0.1,
      outcomeByNumber: { '+14155550100': 'busy' },
      webhookTimeoutMs: 2000,
      logLevel: 'warn',
    });
  });

  it.each([
    ['SIM_PORT', 'abc'],
    ['SIM_PORT', '70000'],
    ['SIM_OUTCOMES', 'answer=80,hangup=20'],
    ['SIM_OUTCOMES', 'answer'],
    ['SIM_OUTCOMES', 'answer=0'],
    ['SIM_OUTCOMES', 'answer=-5,busy=10'],
    ['SIM_RING_MS', '300-100'],
    ['SIM_RING_MS', 'soon'],
    ['SIM_TALK_MS', '-1'],
    ['SIM_TIME_SCALE', '-1'],
    ['SIM_TIME_SCALE', 'fast'],
    ['SIM_OUTCOME_BY_NUMBER', '{"+1":"maybe"}'],
    ['SIM_OUTCOME_BY_NUMBER', 'not json'],
    ['LOG_LEVEL', 'loud'],
    ['PLIVO_AUTH_ID', '  '],
  ])('refuses %s=%s and names the variable', (name, value) => {
    const error = errorOf(() => configFromEnv({ [name]: value }));
    expect(error.message.startsWith(name)).toBe(true);
  });
});

describe('parseRange / parseOutcomes', () => {
  it('accepts ranges in several spellings', () => {
    expect(parseRange('x', '100-300')).toEqual({ min: 100, max: 300 });
    expect(parseRange('x', ' 50 - 60 ')).toEqual({ min: 50, max: 60 });
    expect(parseRange('x', '0')).toEqual({ min: 0, max: 0 });
    expect(parseRange('x', 250)).toEqual({ min: 250, max: 250 });
    expect(parseRange('x', { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
  });

  it('accepts outcome mixes as text or object, missing outcomes weigh 0', () => {
    expect(parseOutcomes('x', 'busy=1')).toEqual({ answer: 0, voicemail: 0, busy: 1, 'no-answer': 0, failed: 0 });
    expect(parseOutcomes('x', { answer: 1, failed: 2 })).toMatchObject({ answer: 1, failed: 2, busy: 0 });
  });
});

describe('applyConfigPatch', () => {
  it('changes only the given fields', () => {
    const next = applyConfigPatch(DEFAULT_CONFIG, { timeScale: 0.05, ringMs: '10-20', outcomes: { busy: 1 } });
    expect(next).toEqual({
      ...DEFAULT_CONFIG,
      timeScale: 0.05,
      ringMs: { min: 10, max: 20 },
      outcomes: { answer: 0, voicemail: 0, busy: 1, 'no-answer': 0, failed: 0 },
    });
    expect(DEFAULT_CONFIG.timeScale).toBe(1);
  });

  it('is all-or-nothing and names the bad field', () => {
    expect(errorOf(() => applyConfigPatch(DEFAULT_CONFIG, { timeScale: 1, talkMs: '9-1' })).field).toBe('talkMs');
    expect(errorOf(() => applyConfigPatch(DEFAULT_CONFIG, { port: 1 })).field).toBe('port');
    expect(errorOf(() => applyConfigPatch(DEFAULT_CONFIG, { authToken: 'x' })).field).toBe('authToken');
    expect(errorOf(() => applyConfigPatch(DEFAULT_CONFIG, [])).field).toBe('body');
  });

  it('hides the auth token from the public view', () => {
    expect(publicConfig(DEFAULT_CONFIG)).not.toHaveProperty('authToken');
  });
});
