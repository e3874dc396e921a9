// The chaos knobs as decisions: what happens to one call's webhooks, and whether a Call API
// request is refused. Pure; the random source comes in, so tests can pin every decision.
import { randomUUID } from 'node:crypto';
import { CallTimingRequest, machineReport } from './call-plan';
import { ApiErrorRecord, CallChaos, TunableConfig } from './types';

/** true with probability `rate`; draws no random number when the knob is off, so a seeded run stays as it was. */
export function chance(rate: number, random: () => number): boolean {
  return rate > 0 && (rate >= 1 || random() < rate);
}

type ChaosSettings = Pick<TunableConfig, 'duplicateRate' | 'reorderRate' | 'dropHangupRate' | 'webhookDelayMs' | 'timeScale' | 'machineDetection'>;

export function planChaos(config: ChaosSettings, request: CallTimingRequest, random: () => number = Math.random): CallChaos {
  const scale = (ms: number) => Math.max(0, Math.round(ms * config.timeScale));
  return {
    reordered: chance(config.reorderRate, random),
    hangupDropped: chance(config.dropHangupRate, random),
    duplicateRate: config.duplicateRate,
    webhookDelayMs: { min: scale(config.webhookDelayMs.min), max: scale(config.webhookDelayMs.max) },
    machineDetection: machineReport(config.machineDetection, request),
  };
}

const ERROR_TEXT: Record<number, string> = {
  429: 'too many requests, rate limited',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** A refusal for this Call API request, or null to place the call. Body in Plivo's error shape {api_id, error}. */
export function injectedApiError(
  config: Pick<TunableConfig, 'apiErrorRate' | 'apiErrorStatuses'>,
  request: Record<string, string>,
  at: number,
  random: () => number = Math.random,
): ApiErrorRecord | null {
  if (!chance(config.apiErrorRate, random)) return null;
  const statuses = config.apiErrorStatuses;
  const status = statuses[Math.min(statuses.length - 1, Math.floor(random() * statuses.length))];
  return { at, status, body: { api_id: randomUUID(), error: ERROR_TEXT[status] ?? 'server error' }, request };
}
