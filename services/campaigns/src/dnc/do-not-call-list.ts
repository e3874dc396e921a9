import { KV } from 'nats';
import { DoNotCallEntry, doNotCallKey } from '@contracts/dnc/keys';
import { DoNotCallEvent } from '@contracts/dnc/events';
import { getJson } from '@libs/nats/kv';

const encoder = new TextEncoder();

/** The entry of a listed number, or undefined: one KV get. */
export function doNotCallEntry(kv: KV, clientId: string, e164: string): Promise<DoNotCallEntry | undefined> {
  return getJson<DoNotCallEntry>(kv, doNotCallKey(clientId, e164));
}

/** Whether the client's do-not-call list has the number (E.164): one KV get, as the dialer does it. */
export async function isDoNotCall(kv: KV, clientId: string, e164: string): Promise<boolean> {
  return (await doNotCallEntry(kv, clientId, e164)) !== undefined;
}

/** Projects one DNC event into the bucket: an added number gets an entry, a removed one loses it. */
export async function applyDoNotCallEvent(kv: KV, event: DoNotCallEvent, seq: number): Promise<void> {
  const { clientId, numbers } = event.data;
  if (event.type === 'DoNotCallNumbersAdded') {
    await Promise.all(
      numbers.map((phoneNumber) => {
        const entry: DoNotCallEntry = { phoneNumber, addedAt: event.data.addedAt, revision: seq };
        return kv.put(doNotCallKey(clientId, phoneNumber), encoder.encode(JSON.stringify(entry)));
      }),
    );
  } else if (event.type === 'DoNotCallNumbersRemoved') {
    await Promise.all(numbers.map((phoneNumber) => kv.delete(doNotCallKey(clientId, phoneNumber))));
  }
  // Events of a newer version this code does not know are skipped.
}

/**
 * One page of a client's listed numbers, in key order (by number hash: stable, not alphabetical).
 * Reads every key of the client, so it costs in proportion to the size of the list.
 */
export async function listDoNotCall(kv: KV, clientId: string, page: number, limit: number) {
  const keys: string[] = [];
  for await (const key of await kv.keys(`${clientId}.*`)) keys.push(key);
  keys.sort();
  const pageKeys = keys.slice((page - 1) * limit, page * limit);
  const entries = await Promise.all(pageKeys.map((key) => getJson<DoNotCallEntry>(kv, key)));
  const items = entries.filter((e): e is DoNotCallEntry => e !== undefined).map(({ phoneNumber, addedAt }) => ({ phoneNumber, addedAt }));
  return { items, total: keys.length, page, limit };
}
