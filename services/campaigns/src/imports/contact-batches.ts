/** Most contacts in one ContactsAdded / ListContactsAdded event (documented in contracts/README.md). */
export const MAX_CONTACTS_PER_EVENT = 500;
/** Keeps every event well under NATS' default 1 MiB max_payload, whatever the size of each contact. */
export const MAX_EVENT_PAYLOAD_BYTES = 512 * 1024;

/**
 * Splits contacts into consecutive batches of at most `maxCount` items and (roughly, by their JSON
 * size) `maxBytes` bytes; a single item larger than `maxBytes` gets a batch of its own.
 */
export function contactBatches<T>(items: T[], maxCount = MAX_CONTACTS_PER_EVENT, maxBytes = MAX_EVENT_PAYLOAD_BYTES): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
