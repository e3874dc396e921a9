import { createHash } from 'crypto';

/**
 * The `dnc` KV bucket, kept by the campaigns service from the DNC stream: key
 * `<clientId>.<sha256 of the E.164 number, hex>` (the number itself is not in the key), value a
 * DoNotCallEntry. A dialer checks a number with one get: listed when the entry exists with `listed: true`.
 */
export function doNotCallKey(clientId: string, e164: string): string {
  return `${clientId}.${createHash('sha256').update(e164).digest('hex')}`;
}

export interface DoNotCallEntry {
  phoneNumber: string;
  listed: boolean;
  /** DNC stream sequence of the event this entry reflects; an older event never overwrites a newer one. */
  revision: number;
  changedAt: string;
}
