// Simulator settings: read from the environment at start, patched at run time.
// Every parse error names the variable (or field) at fault.
import { ConfigPatch, MACHINE_DETECTION_MODES, MachineDetectionMode, MsRange, OUTCOMES, Outcome, SimConfig, TunableConfig } from './types';

export class ConfigError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const DEFAULT_CONFIG: SimConfig = {
  port: 4010,
  authId: 'SIMULATED_AUTH_ID',
  authToken: 'simulated-auth-token',
  outcomes: { answer: 100, voicemail: 0, busy: 0, 'no-answer': 0, failed: 0 },
  ringMs: { min: 100, max: 300 },
  talkMs: { min: 500, max: 1500 },
  timeScale: 1,
  outcomeByNumber: {},
  webhookTimeoutMs: 5000,
  logLevel: 'info',
  duplicateRate: 0,
  reorderRate: 0,
  dropHangupRate: 0,
  webhookDelayMs: { min: 0, max: 0 },
  apiErrorRate: 0,
  apiErrorStatuses: [429, 500, 503],
  machineDetection: 'auto',
};

function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

function finiteNumber(field: string, value: unknown, min: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigError(field, `expected a number, got ${JSON.stringify(value)}`);
  if (n < min) throw new ConfigError(field, `must be >= ${min}, got ${n}`);
  return n;
}

/** "100-300", "250", 250 or {min, max} -> {min, max} in ms. */
export function parseRange(field: string, value: unknown): MsRange {
  if (typeof value === 'object' && value !== null) {
    const { min, max } = value as Record<string, unknown>;
    return checkedRange(field, finiteNumber(field, min, 0), finiteNumber(field, max, 0));
  }
  if (typeof value === 'number') return checkedRange(field, finiteNumber(field, value, 0), value);
  if (typeof value !== 'string') throw new ConfigError(field, 'expected a range like "100-300"');
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(value);
  if (!match) throw new ConfigError(field, `expected a range like "100-300", got ${JSON.stringify(value)}`);
  const min = Number(match[1]);
  return checkedRange(field, min, match[2] === undefined ? min : Number(match[2]));
}

function checkedRange(field: string, min: number, max: number): MsRange {
  if (min > max) throw new ConfigError(field, `min ${min} is greater than max ${max}`);
  return { min, max };
}

/** "answer=80,busy=20" or {answer: 80, busy: 20} -> weights for all outcomes (missing = 0). */
export function parseOutcomes(field: string, value: unknown): Record<Outcome, number> {
  const entries: [string, unknown][] =
    typeof value === 'string'
      ? value.split(',').filter((part) => part.trim() !== '').map((part) => {
          const [name, weight, ...rest] = part.split('=').map((s) => s.trim());
          if (weight === undefined || rest.length > 0) throw new ConfigError(field, `expected "outcome=weight", got "${part.trim()}"`);
          return [name, weight];
        })
      : typeof value === 'object' && value !== null
        ? Object.entries(value)
        : [];
  if (entries.length === 0) throw new ConfigError(field, 'expected a mix like "answer=80,busy=20"');
  const mix: Record<Outcome, number> = { answer: 0, voicemail: 0, busy: 0, 'no-answer': 0, failed: 0 };
  for (const [name, weight] of entries) {
    if (!isOutcome(name)) throw new ConfigError(field, `unknown outcome "${name}" (known: ${OUTCOMES.join(', ')})`);
    mix[name] = finiteNumber(`${field}.${name}`, weight, 0);
  }
  if (OUTCOMES.every((o) => mix[o] === 0)) throw new ConfigError(field, 'at least one outcome needs a weight above 0');
  return mix;
}

/** {"+14155550100": "busy"} (object or JSON text) -> validated map. */
export function parseOutcomeByNumber(field: string, value: unknown): Record<string, Outcome> {
  let map = value;
  if (typeof value === 'string') {
    try {
      map = JSON.parse(value);
    } catch {
      throw new ConfigError(field, 'expected a JSON object like {"+14155550100":"busy"}');
    }
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new ConfigError(field, 'expected an object mapping numbers to outcomes');
  }
  const out: Record<string, Outcome> = {};
  for (const [number, outcome] of Object.entries(map)) {
    if (!isOutcome(outcome)) throw new ConfigError(`${field}["${number}"]`, `unknown outcome ${JSON.stringify(outcome)}`);
    out[number] = outcome;
  }
  return out;
}

/** A probability: 0 (never) to 1 (always). */
export function parseRate(field: string, value: unknown): number {
  const rate = finiteNumber(field, value, 0);
  if (rate > 1) throw new ConfigError(field, `must be between 0 and 1, got ${rate}`);
  return rate;
}

/** "429,500,503" or [429, 500] -> statuses a refused Call API request may get (429 or 5xx). */
export function parseApiErrorStatuses(field: string, value: unknown): number[] {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
  if (!Array.isArray(items) || items.length === 0) throw new ConfigError(field, 'expected statuses like "429,500,503"');
  return items.map((item) => {
    const status = finiteNumber(field, item, 0);
    if (status !== 429 && !(Number.isInteger(status) && status >= 500 && status <= 599)) {
      throw new ConfigError(field, `${status} is not 429 or a 5xx status`);
    }
    return status;
  });
}

function parseMachineDetection(field: string, value: unknown): MachineDetectionMode {
  if (typeof value !== 'string' || !(MACHINE_DETECTION_MODES as readonly string[]).includes(value)) {
    throw new ConfigError(field, `expected one of ${MACHINE_DETECTION_MODES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as MachineDetectionMode;
}

function parseLogLevel(field: string, value: unknown): string {
  if (typeof value !== 'string' || !LOG_LEVELS.includes(value)) {
    throw new ConfigError(field, `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parsePort(field: string, value: unknown): number {
  const port = finiteNumber(field, value, 0);
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError(field, `expected a port 0-65535, got ${value}`);
  return port;
}

function nonEmpty(field: string, value: string): string {
  if (value.trim() === '') throw new ConfigError(field, 'must not be empty');
  return value;
}

/** Reads the configuration from environment variables; throws ConfigError naming the bad variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SimConfig {
  const read = <T>(name: string, fallback: T, parse: (field: string, raw: string) => T): T => {
    const raw = env[name];
    return raw === undefined || raw === '' ? fallback : parse(name, raw);
  };
  const d = DEFAULT_CONFIG;
  return {
    port: read('SIM_PORT', d.port, parsePort),
    authId: read('PLIVO_AUTH_ID', d.authId, nonEmpty),
    authToken: read('PLIVO_AUTH_TOKEN', d.authToken, nonEmpty),
    outcomes: read('SIM_OUTCOMES', d.outcomes, parseOutcomes),
    ringMs: read('SIM_RING_MS', d.ringMs, parseRange),
    talkMs: read('SIM_TALK_MS', d.talkMs, parseRange),
    timeScale: read('SIM_TIME_SCALE', d.timeScale, (f, raw) => finiteNumber(f, raw, 0)),
    outcomeByNumber: read('SIM_OUTCOME_BY_NUMBER', d.outcomeByNumber, parseOutcomeByNumber),
    webhookTimeoutMs: read('SIM_WEBHOOK_TIMEOUT_MS', d.webhookTimeoutMs, (f, raw) => finiteNumber(f, raw, 1)),
    logLevel: read('LOG_LEVEL', d.logLevel, parseLogLevel),
    duplicateRate: read('SIM_DUPLICATE_RATE', d.duplicateRate, parseRate),
    reorderRate: read('SIM_REORDER_RATE', d.reorderRate, parseRate),
    dropHangupRate: read('SIM_DROP_HANGUP_RATE', d.dropHangupRate, parseRate),
    webhookDelayMs: read('SIM_WEBHOOK_DELAY_MS', d.webhookDelayMs, parseRange),
    apiErrorRate: read('SIM_API_ERROR_RATE', d.apiErrorRate, parseRate),
    apiErrorStatuses: read('SIM_API_ERROR_STATUSES', d.apiErrorStatuses, parseApiErrorStatuses),
    machineDetection: read('SIM_MACHINE_DETECTION', d.machineDetection, parseMachineDetection),
  };
}

const PATCHERS: { [K in keyof TunableConfig]: (field: string, value: unknown) => TunableConfig[K] } = {
  outcomes: parseOutcomes,
  ringMs: parseRange,
  talkMs: parseRange,
  timeScale: (f, v) => finiteNumber(f, v, 0),
  outcomeByNumber: parseOutcomeByNumber,
  webhookTimeoutMs: (f, v) => finiteNumber(f, v, 1),
  logLevel: parseLogLevel,
  duplicateRate: parseRate,
  reorderRate: parseRate,
  dropHangupRate: parseRate,
  webhookDelayMs: parseRange,
  apiErrorRate: parseRate,
  apiErrorStatuses: parseApiErrorStatuses,
  machineDetection: parseMachineDetection,
};

/** Applies a partial run-time change; all-or-nothing, throws ConfigError naming the bad field. */
export function applyConfigPatch<C extends TunableConfig>(current: C, patch: unknown): C {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ConfigError('body', 'expected a JSON object');
  }
  const next: C = { ...current };
  for (const [key, value] of Object.entries(patch as ConfigPatch)) {
    if (!(key in PATCHERS)) throw new ConfigError(key, `not a run-time setting (known: ${Object.keys(PATCHERS).join(', ')})`);
    const field = key as keyof TunableConfig;
    (next as TunableConfig)[field] = PATCHERS[field](key, value) as never;
  }
  return next;
}

/** The configuration as GET /__sim/config shows it (no auth token). */
export function publicConfig(config: SimConfig): Omit<SimConfig, 'authToken'> {
  const { authToken: _hidden, ...rest } = config;
  return rest;
}
