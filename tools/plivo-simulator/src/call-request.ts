// Validates a Call API body the way the simulator needs it; the error texts are
// the simulator's own (Plivo's exact wording is not documented).
import { CallTimingRequest } from './call-plan';
import { CallRequest } from './simulated-call';
import { HttpMethod } from './types';

export type ParsedCallRequest =
  | { ok: true; raw: Record<string, string>; call: CallRequest; timing: CallTimingRequest }
  | { ok: false; error: string };

const PHONE_NUMBER = /^\+?[1-9]\d{6,14}$/;

class InvalidParam extends Error {}

/** Body values as strings (JSON bodies may carry numbers or booleans). */
export function stringifyBody(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

function required(raw: Record<string, string>, name: string): string {
  const value = raw[name]?.trim();
  if (!value) throw new InvalidParam(`${name} parameter is required`);
  return value;
}

function phoneNumber(name: string, value: string): string {
  if (name === 'to' && value.includes('<')) throw new InvalidParam('to: bulk calls ("<"-separated destinations) are not supported by the simulator');
  if (value.startsWith('sip:')) throw new InvalidParam(`${name}: SIP endpoints are not supported by the simulator`);
  const compact = value.replace(/[\s-]/g, '');
  if (!PHONE_NUMBER.test(compact)) throw new InvalidParam(`invalid ${name} number "${value}": expected country code and number, e.g. 14157654321`);
  return value;
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new InvalidParam(`${name} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidParam(`${name} must be an http or https URL`);
  return value.trim();
}

function method(name: string, value: string | undefined): HttpMethod {
  if (value === undefined || value.trim() === '') return 'POST';
  const upper = value.trim().toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw new InvalidParam(`${name} must be GET or POST`);
  return upper;
}

function positiveInteger(name: string, value: string | undefined, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidParam(`${name} must be an integer between ${min} and ${max}`);
  return n;
}

function machineDetection(value: string | undefined): 'true' | 'hangup' | undefined {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'false') return undefined;
  if (v === 'true' || v === 'hangup') return v;
  throw new InvalidParam('machine_detection must be "true" or "hangup"');
}

export function parseCallRequest(body: Record<string, unknown>): ParsedCallRequest {
  const raw = stringifyBody(body);
  try {
    const from = phoneNumber('from', required(raw, 'from'));
    const to = phoneNumber('to', required(raw, 'to'));
    const answerUrl = httpUrl('answer_url', required(raw, 'answer_url')) as string;
    const call: CallRequest = {
      from,
      to,
      answerUrl,
      answerMethod: method('answer_method', raw.answer_method),
      ringUrl: httpUrl('ring_url', raw.ring_url),
      ringMethod: method('ring_method', raw.ring_method),
      hangupUrl: httpUrl('hangup_url', raw.hangup_url),
      hangupMethod: method('hangup_method', raw.hangup_method),
      machineDetectionUrl: httpUrl('machine_detection_url', raw.machine_detection_url),
      machineDetectionMethod: method('machine_detection_method', raw.machine_detection_method),
      machineDetection: machineDetection(raw.machine_detection),
    };
    const timing: CallTimingRequest = {
      ringTimeoutS: positiveInteger('ring_timeout', raw.ring_timeout),
      timeLimitS: positiveInteger('time_limit', raw.time_limit),
      machineDetection: call.machineDetection,
      machineDetectionUrl: call.machineDetectionUrl,
      machineDetectionTimeMs: positiveInteger('machine_detection_time', raw.machine_detection_time, 2000, 10000),
    };
    return { ok: true, raw, call, timing };
  } catch (error) {
    if (error instanceof InvalidParam) return { ok: false, error: error.message };
    throw error;
  }
}
