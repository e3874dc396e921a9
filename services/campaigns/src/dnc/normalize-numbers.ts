import { normalizePhone, Rejection } from '../contacts/normalize-contacts';

export interface NormalizedNumbers {
  /** E.164, each once, in the order given. */
  numbers: string[];
  rejected: Rejection[];
  /** Numbers given more than once in the request. */
  duplicates: number;
}

/** Validates and normalises numbers like contacts' phone numbers; `firstRow` numbers rows as the client sent them. */
export function normalizeNumbers(inputs: unknown[], firstRow = 1): NormalizedNumbers {
  const numbers: string[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, i) => {
    const phone = normalizePhone(input);
    if ('reason' in phone) {
      rejected.push({ row: firstRow + i, phoneNumber: String(input ?? ''), reason: phone.reason });
    } else if (seen.has(phone.e164)) {
      return;
    } else {
      seen.add(phone.e164);
      numbers.push(phone.e164);
    }
  });
  return { numbers, rejected, duplicates: inputs.length - numbers.length - rejected.length };
}
