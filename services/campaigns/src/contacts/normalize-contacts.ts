import { createHash } from 'crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface ContactInput {
  phoneNumber?: unknown;
  name?: unknown;
  email?: unknown;
  priority?: unknown;
  timezone?: unknown;
  customData?: unknown;
}

export interface NormalizedContact {
  contactId: string;
  phoneNumber: string;
  name?: string;
  email?: string;
  priority: number;
  timezone?: string;
  customData?: Record<string, unknown>;
}

export interface Rejection {
  row: number;
  phoneNumber: string;
  reason: string;
}

export interface NormalizedBatch {
  accepted: NormalizedContact[];
  rejected: Rejection[];
  /** Rows whose number already appeared earlier in the same batch. */
  duplicates: number;
}

/** Same campaign and number give the same id, so a contact can never be queued twice under two ids. */
export function contactIdOf(campaignId: string, e164: string): string {
  return createHash('sha256').update(`${campaignId}|${e164}`).digest('hex').slice(0, 24);
}

export function normalizePhone(raw: unknown): { e164: string } | { reason: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { reason: 'phoneNumber is required' };
  const text = String(raw).trim();
  if (!text) return { reason: 'phoneNumber is required' };
  const parsed = parsePhoneNumberFromString(text.startsWith('+') ? text : `+${text.replace(/^00/, '')}`);
  if (!parsed || !parsed.isValid()) return { reason: 'not a valid phone number (E.164 with country code expected)' };
  return { e164: parsed.number };
}

/** Validates and normalises one request's contacts; `firstRow` numbers rows as the client sent them. */
export function normalizeContacts(campaignId: string, inputs: ContactInput[], firstRow = 1): NormalizedBatch {
  const accepted: NormalizedContact[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  inputs.forEach((input, i) => {
    const row = firstRow + i;
    const phone = normalizePhone(input?.phoneNumber);
    if ('reason' in phone) {
      rejected.push({ row, phoneNumber: String(input?.phoneNumber ?? ''), reason: phone.reason });
      return;
    }
    const problem = fieldProblem(input);
    if (problem) {
      rejected.push({ row, phoneNumber: phone.e164, reason: problem });
      return;
    }
    if (seen.has(phone.e164)) {
      duplicates++;
      return;
    }
    seen.add(phone.e164);
    accepted.push({
      contactId: contactIdOf(campaignId, phone.e164),
      phoneNumber: phone.e164,
      priority: input.priority === undefined ? 0 : Number(input.priority),
      ...(typeof input.name === 'string' ? { name: input.name } : {}),
      ...(typeof input.email === 'string' ? { email: input.email } : {}),
      ...(typeof input.timezone === 'string' ? { timezone: input.timezone } : {}),
      ...(isRecord(input.customData) ? { customData: input.customData } : {}),
    });
  });
  return { accepted, rejected, duplicates };
}

function fieldProblem(input: ContactInput): string | undefined {
  if (input.priority !== undefined && !Number.isInteger(Number(input.priority))) return 'priority must be an integer';
  if (input.name !== undefined && typeof input.name !== 'string') return 'name must be a string';
  if (input.email !== undefined && (typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email))) {
    return 'email is not a valid address';
  }
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) return 'timezone is not an IANA time zone';
  if (input.customData !== undefined && !isRecord(input.customData)) return 'customData must be an object';
  return undefined;
}

function isTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
