import { applyConfigPatch, ConfigError, configFromEnv, DEFAULT_CONFIG, parseApiErrorStatuses, parseOutcomes, parseRange, parseRate, publicConfig } from './config';

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
      // Every chaos knob is off by default.
      duplicateRate: 0,
      reorderRate: 0,
      dropHangupRate: 0,
      webhookDelayMs: { min: 0, max: 0 },
      apiErrorRate: 0,
      machineDetection: 'auto',
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
      SIM_DUPLICATE_RATE: '0.2',
      SIM_REORDER_RATE: '0.1',
      SIM_DROP_HANGUP_RATE: '0.05',
      SIM_WEBHOOK_DELAY_MS: '50-500',
      SIM_API_ERROR_RATE: '0.3',
      SIM_API_ERROR_STATUSES: '429, 503',
      SIM_MACHINE_DETECTION: 'sync',
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
      duplicateRate: 0.2,
      reorderRate: 0.1,
      dropHangupRate: 0.05,
      webhookDelayMs: { min: 50, max: 500 },
      apiErrorRate: 0.3,
      apiErrorStatuses: [429, 503],
      machineDetection: 'sync',
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
    ['SIM_DUPLICATE_RATE', '1.5'],
    ['SIM_REORDER_RATE', '-0.1'],
    ['SIM_DROP_HANGUP_RATE', 'often'],
    ['SIM_WEBHOOK_DELAY_MS', '500-50'],
    ['SIM_API_ERROR_RATE', '2'],
    ['SIM_API_ERROR_STATUSES', '404'],
    ['SIM_API_ERROR_STATUSES', '429,abc'],
    ['SIM_MACHINE_DETECTION', 'maybe'],
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

describe('chaos knob parsers', () => {
  it('takes rates from 0 to 1', () => {
    expect(parseRate('x', '0')).toBe(0);
    expect(parseRate('x', 1)).toBe(1);
    expect(parseRate('x', '0.25')).toBe(0.25);
    expect(errorOf(() => parseRate('x', 1.01)).field).toBe('x');
  });

  it('takes 429 and 5xx statuses as text or array', () => {
    expect(parseApiErrorStatuses('x', '429,500,599')).toEqual([429, 500, 599]);
    expect(parseApiErrorStatuses('x', [503])).toEqual([503]);
    expect(() => parseApiErrorStatuses('x', [])).toThrow(ConfigError);
    expect(() => parseApiErrorStatuses('x', '400')).toThrow(/400 is not 429 or a 5xx/);
    expect(() => parseApiErrorStatuses('x', '500.5')).toThrow(ConfigError);
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

  it('changes chaos knobs at run time', () => {
    const next = applyConfigPatch(DEFAULT_CONFIG, {
      duplicateRate: 0.5,
      reorderRate: 1,
      dropHangupRate: 0.1,
      webhookDelayMs: '10-20',
      apiErrorRate: 0.2,
      apiErrorStatuses: '429',
      machineDetection: 'async',
    });
    expect(next).toMatchObject({
      duplicateRate: 0.5,
      reorderRate: 1,
      dropHangupRate: 0.1,
      webhookDelayMs: { min: 10, max: 20 },
      apiErrorRate: 0.2,
      apiErrorStatuses: [429],
      machineDetection: 'async',
    });
    expect(errorOf(() => applyConfigPatch(DEFAULT_CONFIG, { duplicateRate: 0.5, dropHangupRate: 3 })).field).toBe('dropHangupRate');
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
