import { createHash } from 'crypto';

/**
 * A UUID in the version-4 layout derived from `name`: the same name always gives the same id. A create
 * command takes its aggregate's id from its command id this way, so the same command sent again (a
 * retried POST with its Idempotency-Key) finds the aggregate it created, instead of creating another.
 */
export function derivedUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
