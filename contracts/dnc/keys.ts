import { createHash } from 'crypto';

/**
 * The `dnc` KV bucket, kept by the campaigns service from the DNC stream: key
 * `<clientId>.<sha256 of the E.164 number, hex>` (the number itself is not in the key), value a
 * DoNotCallEntry. A dialer checks a number with one get: listed when the key holds a value.
 */
export function doNotCallKey(clientId: string, e164: string): string {
  return `${clientId}.${createHash('sha256').update(e164).digest('hex')}`;
}

/** The value of a listed number's entry; a number that is not listed has no entry (removal deletes it). */
export interface DoNotCallEntry {
  phoneNumber: string;
  addedAt: string;
  /** DNC stream sequence of the event that listed it. */
  revision: number;
}
