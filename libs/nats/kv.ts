import { KV } from 'nats';
import { decodeJson } from '../event-store/codec';

/** The JSON value stored under `key`, or undefined when there is none (or it was deleted). */
export async function getJson<T>(kv: KV, key: string): Promise<T | undefined> {
  const entry = await kv.get(key);
  return entry && entry.operation === 'PUT' && entry.value.length > 0 ? decodeJson<T>(entry.value) : undefined;
}

/** A compare-and-set write lost: `update` found a newer revision, or `create` found the key taken. */
export function isKvConflict(e: unknown): boolean {
  const err = e as { api_error?: { err_code?: number }; message?: string };
  return err?.api_error?.err_code === 10071 || /wrong last sequence|key exists/i.test(String(err?.message));
}
